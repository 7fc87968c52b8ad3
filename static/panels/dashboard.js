// Every panel of the page, mounted on its element of templates/index.html and kept in one
// Panels list, which the stream's messages go to (panels.js has the contract).

import { mountPairedPresets } from "../twins/paired_presets.js";
import { mount as mountWhatIf } from "../twins/whatif.js";
import { mount as mountBanner } from "./banner.js";
import { mount as mountArrows } from "./boundary/arrows.js";
import { mount as mountBoundary } from "./boundary/boundary.js";
import { mount as mountDraw } from "./boundary/draw.js";
import { mount as mountDrawSources } from "./boundary/draw_sources.js";
import { mount as mountClassroom } from "./classroom/classroom.js";
import { mount as mountCompare } from "./compare/compare.js";
import { mount as mountDerivation } from "./derivation/derivation.js";
import { mount as mountEnlarge } from "./enlarge.js";
import { mount as mountGradcheck } from "./gradcheck.js";
import { mount as mountGradients } from "./gradients.js";
import { mount as mountHidden } from "./hidden/hidden.js";
import { mount as mountLosses } from "./losses.js";
import { mount as mountLossSlice } from "./lossslice.js";
import { mount as mountNetwork } from "./network/network.js";
import { Panels } from "./panels.js";
import { mount as mountPoll } from "./poll/poll.js";
import { mount as mountPresets } from "./presets.js";
import { mount as mountRuns } from "./runs/runs.js";
import { mount as mountSaturation } from "./saturation/saturation.js";
import { mount as mountTabs } from "./tabs.js";
import { mount as mountTimeline } from "./timeline.js";
import { mountConnection, mount as mountStatus } from "./topbar/status.js";
import { mount as mountTransport } from "./topbar/transport.js";
import { mount as mountUnit } from "./unit/unit.js";
import { mount as mountWeights } from "./weights.js";

const byId = (id) => document.getElementById(id);

// form: the settings form; actions: what the buttons do ({ togglePlay, step, reset,
// lowerRateAndReset, inputGradients, send, session, adopt, opened, startWithPoints }); view: the
// link's view options.
export function mountPanels(store, { form, actions, view }) {
  const panels = new Panels();
  const transport = panels.add(mountTransport(document.querySelector(".transport"), store, actions));
  panels.add(mountStatus(byId("status"), store));
  panels.add(mountWhatIf(byId("whatif-slot"), store)); // twins of this run, side by side
  const banner = panels.add(mountBanner(byId("banner"), store, actions));
  const boundary = panels.add(mountBoundary(byId("panel-boundary"), store));
  panels.add(mountLosses(byId("panel-loss"), store));
  panels.add(mountGradients(byId("panel-gradients"), store));
  panels.add(mountSaturation(byId("saturation"), store));
  const inspector = panels.add(mountTabs(byId("inspector"), store));
  mountEnlarge(byId("inspector"), byId("inspector-enlarge"));

  // Over the boundary: the input gradients and the derivation's point; your own points.
  const marks = mountArrows(byId("boundary-toggles"), store, { onInputGradients: actions.inputGradients });
  boundary.addLayer(marks);
  const timeline = panels.add(
    mountTimeline(byId("timeline"), store, { showStep: (step) => panels.showStep(step) }),
  );
  const draw = panels.add(
    mountDraw(byId("draw-tools"), store, { send: actions.send, startWithPoints: actions.startWithPoints }),
  );
  boundary.addLayer(draw.layer);
  const ownData = mountDrawSources(byId("own-data"), store, {
    draw,
    startWithPoints: actions.startWithPoints,
  });

  // The bottom panel's tabs.
  inspector.add({
    id: "weights",
    title: "Weights and gradients",
    hint: "columns: hidden units · colour: blue < 0 < red",
    bodyId: "weights",
    mount: (el) => mountWeights(el, store),
  });
  const derivation = inspector.add({
    id: "derivation",
    title: "Derivation",
    hint: "click a training point on the decision boundary, or choose its number",
    roomy: true,
    mount: (el) => mountDerivation(el, store, { onSample: (index) => marks.select(index) }),
  });
  const unit = inspector.add({
    id: "unit",
    title: "Hidden unit",
    hint: "where one hidden unit fires, and the error backprop hands it",
    roomy: true,
    mount: (el) => mountUnit(el, store),
  });
  const network = inspector.add({
    id: "network",
    title: "Network",
    hint: "every unit and every weight: hover for the numbers, click a unit to open it",
    roomy: true,
    mount: (el) =>
      mountNetwork(el, store, {
        onUnit: (j, layer) => {
          unit.select(j, layer);
          inspector.select("unit");
        },
        session: actions.session,
      }),
  });
  inspector.add({
    id: "gradcheck",
    title: "Gradient check",
    hint: "backprop against finite differences, per parameter",
    mount: (el) => mountGradcheck(el, store), // a short table: the boundary keeps its room
  });
  inspector.add({
    id: "compare",
    title: "Check your gradient",
    hint: "the gradient your own code computes, against ours",
    roomy: true,
    mount: (el) => mountCompare(el, store),
  });
  inspector.add({
    id: "hidden",
    title: "Hidden space",
    hint: "where the hidden layer puts the points, and how it bends the plane",
    roomy: true,
    mount: (el) => mountHidden(el, store),
  });
  inspector.add({
    id: "slice",
    title: "Loss along −g",
    hint: "L(W − t·g): why a step helps, or overshoots",
    roomy: true,
    mount: (el) => mountLossSlice(el, store),
  });
  const presets = inspector.add({
    id: "lessons",
    title: "Presets",
    hint: "one click starts a run that teaches one idea",
    roomy: true,
    mount: (el) => {
      const list = mountPresets(el, store, { form });
      const pairs = mountPairedPresets(el); // each opens its compare page
      return {
        ...list,
        setEnabled: (on) => {
          list.setEnabled(on);
          pairs.setEnabled(on);
        },
      };
    },
  });
  const runs = panels.add(
    mountRuns(byId("runs-tools"), store, {
      session: actions.session,
      adopt: actions.adopt,
      opened: actions.opened,
    }),
  );
  const poll = panels.add(
    mountPoll(byId("poll"), store, {
      tools: byId("classroom-tools"),
      session: actions.session,
      send: actions.send,
      onMarks: (marks) => timeline.setMarks(marks),
    }),
  );
  boundary.addLayer(poll.planeLayer);
  boundary.onPick(({ n, index }) => {
    if (poll.pickPoint(index)) return; // a vote on "which point flips first"
    derivation.select(n);
    inspector.select("derivation");
  });

  const classroom = panels.add(
    mountClassroom(byId("classroom"), store, {
      tools: byId("classroom-tools"),
      view,
      form,
      driverOnly: [transport, banner, form, draw, ownData, presets, runs, network],
    }),
  );
  const shownStep = () => timeline.shownStep(); // the timeline's past step, or null when live
  return { panels, classroom, connection: mountConnection(byId("connection")), presets, poll, shownStep };
}
