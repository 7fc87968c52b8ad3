// A point poll on the plane: a layer of the boundary plot. While voting, a watcher's own pick is
// ringed (dashed); once revealed, every voted point is ringed, wider the more votes, with its
// count beside it; once answered, the points that flipped first are ringed green. All from the
// poll the server sent: the votes' counts and the answer's points.

import { SizedCanvas } from "../../lib/canvas.js";

const VOTED = "#b36b00";
const FLIPPED = "#009e73";
const MINE = "#0072b2";
const MOST_FLIPPED_SHOWN = 64;

export function mountPlaneMarks() {
  const sized = new SizedCanvas(document.createElement("canvas"));
  sized.canvas.className = "boundary-overlay poll-plane";
  sized.canvas.id = "poll-plane";
  let geometry = () => null;
  let poll = null;
  let mine = null;

  function ring(ctx, g, index, r) {
    const [px, py] = g.toPixel(g.points.x[index], g.points.y[index]);
    ctx.beginPath();
    ctx.arc(px, py, r, 0, 2 * Math.PI);
    ctx.stroke();
    return [px, py];
  }

  function draw() {
    const g = geometry();
    if (!g) return;
    sized.resize(g.width, g.height);
    const ctx = sized.begin();
    sized.canvas.dataset.rings = "0";
    if (!poll || poll.kind !== "point") return;
    const n = g.points.x.length;
    let rings = 0;
    ctx.save();
    ctx.beginPath();
    ctx.rect(g.rect.left, g.rect.top, g.rect.side, g.rect.side);
    ctx.clip();
    if (poll.answer?.points) {
      ctx.strokeStyle = FLIPPED;
      ctx.lineWidth = 3;
      for (const index of poll.answer.points.slice(0, MOST_FLIPPED_SHOWN)) {
        if (index < n) ring(ctx, g, index, g.radius * 1.9);
      }
    }
    if (poll.counts) {
      const most = Math.max(1, ...poll.counts.map(([, count]) => count));
      ctx.strokeStyle = VOTED;
      ctx.fillStyle = VOTED;
      ctx.lineWidth = 2.5;
      ctx.font = `700 ${Math.max(12, g.radius * 2.2)}px system-ui, sans-serif`;
      for (const [index, count] of poll.counts) {
        if (index >= n) continue;
        const r = g.radius * (1.4 + 1.6 * Math.sqrt(count / most));
        const [px, py] = ring(ctx, g, index, r);
        ctx.fillText(String(count), px + r + 2, py - r / 2);
        rings += 1;
      }
    } else if (mine !== null && mine < n) {
      ctx.strokeStyle = MINE;
      ctx.lineWidth = 3;
      ctx.setLineDash([4, 3]);
      ring(ctx, g, mine, g.radius * 1.8);
      rings = 1;
    }
    ctx.restore();
    sized.canvas.dataset.rings = String(rings);
  }

  return {
    layer: {
      element: sized.canvas,
      attach(geometryOf) {
        geometry = geometryOf;
      },
      draw,
    },
    // The poll on the card (or null) and this viewer's vote on it.
    show(shownPoll, myVote) {
      poll = shownPoll;
      mine = myVote;
      draw();
    },
  };
}
