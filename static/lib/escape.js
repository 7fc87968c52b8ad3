// Escape closes what was opened last: the share dialog before the enlarged view, the enlarged
// view before presentation mode. Whatever opens calls opened(close) and calls the function it
// returns when it closes by other means; one Escape closes one thing.

import { onPageKey } from "./dom.js";

const open = []; // the close functions of what is open, the last opened last

export function opened(close) {
  const i = open.indexOf(close);
  if (i >= 0) open.splice(i, 1);
  open.push(close);
  return () => {
    const at = open.indexOf(close);
    if (at >= 0) open.splice(at, 1);
  };
}

onPageKey((event) => {
  if (event.key !== "Escape" || open.length === 0) return;
  event.preventDefault();
  open.pop()();
});
