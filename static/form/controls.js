// The settings form (templates/index.html): reads and writes the fields as text, keeps each log
// slider and its number box together, offers the presets, and shows an error next to the
// control it is about (the form owns every [data-error-for] slot on the page, "general" too).

import { FIELDS, flatten, INIT_NAMES } from "../lib/config.js";
import { setControlsEnabled } from "../lib/dom.js";
import { Latest } from "../lib/throttle.js";
import { mountFeatures } from "./features.js";
import { LogScale } from "./log_scale.js";

const SLIDER_GAP_MS = 100; // a moving slider sends at most this often

// onChange(key) is called when the user commits a value: a number box on Enter or leaving it,
// a select on change, a slider while it moves (throttled: each change may go to the server).
// onPreset() when a preset replaced the whole form. offered: the keys of the fields the server's
// RunConfig has (an older server's lacks the newer ones: their boxes stay, greyed, never sent);
// limits: { maxWidth }, the most units a hidden layer may have.
export function mount(form, _store, { onChange, onPreset, offered = null, limits = {} }) {
  const inputs = Object.fromEntries(FIELDS.map((f) => [f.key, form.querySelector(`#f-${f.key}`)]));
  const input = (key) => inputs[key];
  const isOffered = (key) => !offered || offered.has(key);
  const features = mountFeatures(form.querySelector("#features-choices"), input("features"));
  form
    .querySelector("#init-names")
    .replaceChildren(
      ...INIT_NAMES.map((name) => Object.assign(document.createElement("option"), { value: name })),
    );
  const presetSelect = form.querySelector("#preset");
  const presetAbout = form.querySelector("#preset-about");
  let datasets = {}; // kind -> GET /api/datasets' entry
  let presets = {}; // name -> GET /api/presets' entry
  let enabled = true;
  // Each slider with its scale, read once from the template: key -> { slider, scale }.
  const sliders = new Map(
    [...form.querySelectorAll(".log-slider")].map((slider) => [
      slider.dataset.for,
      { slider, scale: new LogScale(Number(slider.dataset.logLow), Number(slider.dataset.logHigh)) },
    ]),
  );
  const errorSlots = new Map(
    [...document.querySelectorAll("[data-error-for]")].map((p) => [p.dataset.errorFor, p]),
  );

  function placeSlider(key, value) {
    const s = sliders.get(key);
    const position = s?.scale.position(value);
    if (position !== null && position !== undefined) s.slider.value = String(position);
  }

  for (const f of FIELDS) {
    input(f.key).addEventListener("change", () => {
      placeSlider(f.key, input(f.key).value);
      presetSelect.value = "";
      fitFields();
      onChange(f.key);
    });
  }

  function choosePreset(name) {
    presetSelect.value = name;
    const preset = presets[name];
    if (!preset) return;
    presetSelect.title = preset.description;
    setValues(flatten(preset.config));
    onPreset();
  }
  presetSelect.addEventListener("change", () => choosePreset(presetSelect.value));

  // Moons, circles and xor have two classes, so the classes box is for spiral and blobs only;
  // plain SGD has no momentum. The boxes stay, disabled, so the form keeps its shape.
  function fitFields() {
    const info = datasets[input("dataset").value];
    const classes = input("classes");
    const fixed = info ? !info.classes.includes("-") : false;
    if (fixed) classes.value = "";
    classes.disabled = fixed || !enabled;
    classes.placeholder = fixed ? info.classes : "3";
    input("noise").placeholder =
      info && info.default_noise !== null ? `default ${info.default_noise}` : "default";
    input("beta1").disabled = input("optimizer").value === "sgd" || !enabled;
    // Your own points are what they are: no number of samples to generate, no noise to add.
    const own = input("dataset").value === "points";
    input("n_samples").disabled = own || !enabled;
    input("noise").disabled = own || !enabled;
    for (const f of FIELDS) {
      if (isOffered(f.key)) continue;
      input(f.key).disabled = true;
      input(f.key).title = `this server does not take ${f.key}`;
    }
    features.setDisabled(!enabled || !isOffered("features"));
  }

  function setValues(values) {
    for (const [key, value] of Object.entries(values)) {
      const el = input(key);
      if (!el) continue;
      if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === value)) {
        // A value the select cannot show (a mistyped link): keep it visible, as an option, so
        // the error next to it makes sense.
        el.append(new Option(value, value));
      }
      el.value = value;
      placeSlider(key, value);
      if (key === "features") features.show(value);
    }
    fitFields();
  }

  for (const [key, { slider, scale }] of sliders) {
    const sender = new Latest(() => onChange(key), undefined, { gap: SLIDER_GAP_MS });
    slider.addEventListener("input", () => {
      const value = String(scale.value(Number(slider.value)));
      input(key).value = value;
      sender.want(value);
    });
  }

  // The form takes Enter as a commit of the field, never as a page-reloading submit.
  form.addEventListener("submit", (event) => event.preventDefault());

  function showError(where, message) {
    const slot = errorSlots.get(where) ?? errorSlots.get("general");
    slot.textContent = message;
    slot.hidden = false;
    input(where)?.setAttribute("aria-invalid", "true");
  }

  function clearErrors(keys) {
    for (const key of keys) {
      const slot = errorSlots.get(key);
      if (slot) {
        slot.hidden = true;
        slot.textContent = "";
      }
      input(key)?.removeAttribute("aria-invalid");
    }
  }

  return {
    offered,
    limits,
    // The form's text, { key: text }: what the person typed, checked by toConfig.
    values() {
      return Object.fromEntries(FIELDS.map((f) => [f.key, input(f.key).value]));
    },
    setValues,
    // The server's lists: dataset kinds (with descriptions, default noise, classes) and presets
    // (offered by their titles).
    setChoices(datasetList, presetList) {
      datasets = Object.fromEntries(datasetList.map((d) => [d.kind, d]));
      for (const option of input("dataset").options) {
        if (datasets[option.value]) option.title = datasets[option.value].description;
      }
      presets = Object.fromEntries(presetList.map((p) => [p.name, p]));
      for (const p of presetList) {
        const option = new Option(p.title, p.name);
        option.title = p.description;
        presetSelect.append(option);
      }
      fitFields();
    },
    // Start preset `name`, as choosing it in the select does.
    choosePreset,
    // The run is preset `name` (null: none): the select says so, and what it teaches.
    showPreset(name) {
      const preset = presets[name];
      presetSelect.value = preset ? name : "";
      presetAbout.textContent = preset ? preset.description : "";
      presetAbout.title = presetAbout.textContent; // three lines show; the rest on hover
      presetAbout.hidden = !preset;
    },
    // A watcher's form stays, greyed, so the class sees the settings the teacher uses.
    setEnabled(on, reason) {
      enabled = on;
      const controls = [
        ...Object.values(inputs),
        ...[...sliders.values()].map((s) => s.slider),
        ...features.checks,
        presetSelect,
      ];
      setControlsEnabled(controls, on, reason);
      fitFields();
    },
    // errors: [{ where, message }] or { key: message }
    showErrors(errors) {
      const list = Array.isArray(errors)
        ? errors
        : Object.entries(errors).map(([where, message]) => ({ where, message }));
      for (const { where, message } of list) showError(where, message);
    },
    clearErrors,
    clearAllErrors() {
      clearErrors([...errorSlots.keys()]);
    },
  };
}
