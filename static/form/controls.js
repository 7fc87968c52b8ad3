// The settings form: reads and writes the fields as text, keeps each log slider and its number
// box together, and shows an error next to the control it is about.

import { FIELDS, flatten } from "./config.js";

const SLIDER_STEPS = 1000;

function sliderToValue(slider) {
  const low = Number(slider.dataset.logLow);
  const high = Number(slider.dataset.logHigh);
  const value = 10 ** (low + ((high - low) * Number(slider.value)) / SLIDER_STEPS);
  return Number(value.toPrecision(2));
}

function valueToSlider(slider, value) {
  const low = Number(slider.dataset.logLow);
  const high = Number(slider.dataset.logHigh);
  const x = Number(value);
  if (!(x > 0)) return;
  slider.value = String(Math.round(((Math.log10(x) - low) / (high - low)) * SLIDER_STEPS));
}

// onChange(key) is called when the user commits a value: a number box on Enter or leaving it,
// a select on change, a slider while it moves (throttled: each change may go to the server).
// onPreset() when a preset replaced the whole form.
export function create(form, { onChange, onPreset }) {
  const input = (key) => form.querySelector(`#f-${key}`);
  const presetSelect = form.querySelector("#preset");
  let datasets = {}; // kind -> GET /api/datasets' entry
  let presets = {}; // name -> GET /api/presets' entry
  const sliders = [...form.querySelectorAll(".log-slider")];
  const errorSlots = new Map([...document.querySelectorAll("[data-error-for]")].map((p) => [p.dataset.errorFor, p]));

  for (const f of FIELDS) {
    input(f.key).addEventListener("change", () => {
      const slider = form.querySelector(`#f-${f.key}-slider`);
      if (slider) valueToSlider(slider, input(f.key).value);
      presetSelect.value = "";
      fitFields();
      onChange(f.key);
    });
  }

  presetSelect.addEventListener("change", () => {
    const preset = presets[presetSelect.value];
    if (!preset) return;
    presetSelect.title = preset.description;
    setValues(flatten(preset.config));
    onPreset();
  });

  // Moons, circles and xor have two classes, so the classes box is for spiral and blobs only;
  // plain SGD has no momentum. The boxes stay, disabled, so the form keeps its shape.
  function fitFields() {
    const info = datasets[input("dataset").value];
    const classes = input("classes");
    const fixed = info ? !info.classes.includes("-") : false;
    if (fixed) classes.value = "";
    classes.disabled = fixed;
    classes.placeholder = fixed ? info.classes : "3";
    input("noise").placeholder = info && info.default_noise !== null ? `default ${info.default_noise}` : "default";
    input("momentum").disabled = input("optimizer").value === "sgd";
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
      const slider = form.querySelector(`#f-${key}-slider`);
      if (slider) valueToSlider(slider, value);
    }
    fitFields();
  }

  for (const slider of sliders) {
    const key = slider.dataset.for;
    let timer = null;
    let lastSent = 0;
    const send = () => {
      timer = null;
      lastSent = performance.now();
      onChange(key);
    };
    slider.addEventListener("input", () => {
      input(key).value = String(sliderToValue(slider));
      const wait = 100 - (performance.now() - lastSent);
      if (wait <= 0) send();
      else if (!timer) timer = setTimeout(send, wait);
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
    values() {
      return Object.fromEntries(FIELDS.map((f) => [f.key, input(f.key).value]));
    },
    setValues,
    // The server's lists: dataset kinds (with descriptions, default noise, classes) and presets.
    setChoices(datasetList, presetList) {
      datasets = Object.fromEntries(datasetList.map((d) => [d.kind, d]));
      for (const option of input("dataset").options) {
        if (datasets[option.value]) option.title = datasets[option.value].description;
      }
      presets = Object.fromEntries(presetList.map((p) => [p.name, p]));
      for (const p of presetList) {
        const option = new Option(p.name, p.name);
        option.title = p.description;
        presetSelect.append(option);
      }
      fitFields();
    },
    // errors: [{ where, message }] or { key: message }
    showErrors(errors) {
      const list = Array.isArray(errors) ? errors : Object.entries(errors).map(([where, message]) => ({ where, message }));
      for (const { where, message } of list) showError(where, message);
    },
    clearErrors,
    clearAllErrors() {
      clearErrors([...errorSlots.keys()]);
    },
    field: input,
  };
}
