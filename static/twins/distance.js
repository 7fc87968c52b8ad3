// How far apart the two runs' weights are, ‖W(l) − W′(l)‖_F of each layer over the steps, as the
// server measures it (GET /api/twins/{id}/distance): 0 at the fork step, then growing as they
// diverge. Asked for as the runs' frames move on, the newest wish only and at most every GAP_MS
// (lib/throttle.js), each time only the steps after those drawn.

import { layerColor, PARAM_STYLE } from "../lib/palette.js";
import { probe } from "../lib/probe.js";
import { StepChart } from "../lib/stepchart.js";
import { Latest } from "../lib/throttle.js";
import { getDistance } from "./api.js";
import { xFrom } from "./fork_view.js";

const GAP_MS = 400;

function layerNames(layers) {
  return Object.keys(layers).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

function styleOf(name, n) {
  if (n === 2 && PARAM_STYLE[name]) return PARAM_STYLE[name];
  return { color: layerColor(Number(name.slice(1)), n), dash: "solid" };
}

// el: the chart's box; twinsId: the pair's id.
export function mountDistance(el, twinsId) {
  const chart = new StepChart(el, [{ domain: [0, 1], y: { title: "‖W − W′‖" } }], [], {
    label: "the distance between the two runs' weights, per layer, over the steps",
  });
  let names = [];
  let drawnTo = -1; // the last step drawn
  let generation = 0;
  let forkStep = 0;

  function take(reply) {
    const found = layerNames(reply.layers);
    if (String(found) !== String(names)) {
      names = found;
      chart.setTraces(names.map((name) => ({ name, ...styleOf(name, names.length) })));
    }
    reply.steps.forEach((step, k) => {
      if (step <= drawnTo) return;
      chart.push(
        step,
        names.map((name) => reply.layers[name][k]),
      );
      drawnTo = step;
    });
    chart.setXFrom(0, xFrom(forkStep, drawnTo));
    chart.draw();
    probe.distanceStep = drawnTo;
  }

  const latest = new Latest(
    async () => {
      const asking = generation;
      const result = await getDistance(twinsId, drawnTo + 1);
      if (result.ok && asking === generation) take(result.data);
    },
    () => {},
    { gap: GAP_MS },
  );

  return {
    chart,
    setForkStep(step) {
      forkStep = step;
    },
    // The runs are at `step` now: draw up to it (a step before those drawn: a reset, start again).
    follow(step) {
      if (step < drawnTo) {
        generation += 1;
        latest.cancel();
        drawnTo = -1;
        chart.reset();
      }
      if (step > drawnTo) {
        latest.want(`${generation}:${step}`);
      }
    },
  };
}
