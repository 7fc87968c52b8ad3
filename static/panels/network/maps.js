// The hidden units' small maps (GET .../unit-maps): each unit's activation over the data's box,
// painted into a small image the diagram's node shows. One request for every unit the diagram
// shows (a wide layer shows 16), following the run at most once a REFRESH_MS
// (lib/followed_view.js), never one per node.

import { FollowedView } from "../../lib/followed_view.js";
import { divergingTable } from "../../lib/palette.js";
import { getView } from "../../lib/rest.js";

const TABLE = divergingTable();
const REFRESH_MS = 400;
const SIDE = 16; // a map's pixels a side
// The server's cap on hidden units x G² in one answer (MAX_UNIT_MAP_VALUES, app/core/bounds.py):
// a wide network gets coarser maps rather than a refusal.
const MAX_VALUES = 1 << 16;

export function mapSide(units) {
  return Math.max(2, Math.min(SIDE, Math.floor(Math.sqrt(MAX_VALUES / Math.max(1, units)))));
}

// One map (G rows from the bottom of the box up, G columns) in diverging colours over range, as
// a data: URL (an <image> in the SVG shows it; the page's policy allows data: images).
function mapImage(map, [low, high]) {
  const G = map.length;
  const canvas = document.createElement("canvas");
  canvas.width = G;
  canvas.height = G;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(G, G);
  const span = high - low || 1;
  for (let i = 0; i < G; i++) {
    const row = (G - 1 - i) * G; // image rows go top to bottom
    for (let c = 0; c < G; c++) {
      const v = map[i][c];
      const k = v === null ? 127 * 3 : Math.round(255 * Math.min(1, Math.max(0, (v - low) / span))) * 3;
      const o = (row + c) * 4;
      image.data[o] = TABLE[k];
      image.data[o + 1] = TABLE[k + 1];
      image.data[o + 2] = TABLE[k + 2];
      image.data[o + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas.toDataURL();
}

// units(): the keys "l:j" of the hidden units shown ([]: nothing to fetch); onMaps({ step, image,
// range }) where image("l:j") is the data: URL of unit j of layer l's map and range("l:j") its
// layer's colour range.
export function followMaps(store, { units, onMaps, onError }) {
  return new FollowedView(store, {
    what: () => {
      const keys = units();
      return keys.length ? { G: mapSide(keys.length), units: keys.join(",") } : null;
    },
    load: ({ sessionId, atStep, G, units: keys }) =>
      getView(
        sessionId,
        "unit-maps",
        atStep === null ? { G, units: keys } : { G, units: keys, at_step: atStep },
      ),
    show: (result) => {
      if (!result.ok) {
        onError(result.message);
        return;
      }
      const layers = new Map(result.data.layers.map((layer) => [layer.layer, layer]));
      const made = new Map();
      const find = (key) => {
        const [l, j] = key.split(":").map(Number);
        const layer = layers.get(l);
        const n = layer ? layer.units.indexOf(j) : -1;
        return n >= 0 ? { map: layer.maps[n], range: layer.range } : null;
      };
      const image = (key) => {
        if (!made.has(key)) {
          const found = find(key);
          made.set(key, found ? mapImage(found.map, found.range) : null);
        }
        return made.get(key);
      };
      onMaps({ step: result.data.step, image, range: (key) => find(key)?.range ?? null });
    },
    gap: REFRESH_MS,
  });
}
