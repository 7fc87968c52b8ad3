// The run configuration as the page sees it: a flat list of fields, each with its place in the
// server's RunConfig, its URL key (the same as its key), and whether it can change during a run
// ("live": sent as a `set` message) or needs a new session (data and architecture).
// The default values are not here: they come from the server's RunConfig (templates/index.html).
// A field the server's RunConfig does not have (an older server) is "not offered": the form keeps
// its box, greyed, and the page never sends it (`offeredKeys`, `toConfig`).

export const FIELDS = [
  { key: "dataset", path: ["dataset", "kind"], type: "choice", group: "data" },
  { key: "n_samples", path: ["dataset", "n_samples"], type: "int", group: "data" },
  { key: "noise", path: ["dataset", "noise"], type: "float", optional: true, group: "data" },
  { key: "classes", path: ["dataset", "classes"], type: "int", optional: true, group: "data" },
  { key: "train_fraction", path: ["dataset", "train_fraction"], type: "float", group: "data" },
  { key: "data_seed", path: ["dataset", "seed"], type: "int", group: "data" },
  { key: "features", path: ["features"], type: "names", group: "network" },
  { key: "hidden", path: ["hidden"], type: "widths", group: "network" },
  { key: "activation", path: ["activation"], type: "choice", group: "network" },
  { key: "loss", path: ["loss"], type: "choice", group: "network" },
  { key: "init_scale", path: ["init_scale"], type: "scale", group: "network" },
  { key: "label_smoothing", path: ["label_smoothing"], type: "float", group: "network" },
  { key: "seed", path: ["seed"], type: "int", group: "network" },
  { key: "learning_rate", path: ["learning_rate"], type: "float", live: true, group: "training" },
  { key: "optimizer", path: ["optimizer"], type: "choice", live: true, group: "training" },
  { key: "beta1", path: ["beta1"], type: "float", live: true, group: "training" },
  { key: "lam", path: ["lam"], type: "float", live: true, group: "training" },
  { key: "l1", path: ["l1"], type: "float", live: true, group: "training" },
  { key: "batch_size", path: ["batch_size"], type: "int", optional: true, live: true, group: "training" },
  { key: "steps_per_second", path: ["steps_per_second"], type: "float", live: true, group: "training" },
];

export const FIELD = Object.fromEntries(FIELDS.map((f) => [f.key, f]));

// Options of the view, not of the run: they go in the URL too, but only when given.
export const VIEW_KEYS = ["grid", "fps", "present"]; // present=1: presentation mode (classroom.js)

function getPath(obj, path) {
  return path.reduce((o, name) => (o == null ? undefined : o[name]), obj);
}

function setPath(obj, path, value) {
  let o = obj;
  for (const name of path.slice(0, -1)) o = o[name] ??= {};
  o[path[path.length - 1]] = value;
}

// The hidden layers: at most this many (the server's limit too; one number is one layer).
export const MAX_LAYERS = 6;
// The named initialisations; any other init_scale is a number, a fixed standard deviation.
export const INIT_NAMES = ["fan_in", "xavier", "he", "zeros"];

// The input features as the page writes them (the server's names are the keys).
export const FEATURE_LABELS = {
  x1: "x₁",
  x2: "x₂",
  x1_sq: "x₁²",
  x2_sq: "x₂²",
  x1_x2: "x₁·x₂",
  sin_x1: "sin x₁",
  sin_x2: "sin x₂",
};

function show(value) {
  if (value === null || value === undefined) return "";
  // A list of widths reads "8, 8, 4"; one of feature names "x1,x2" (it travels in links).
  if (Array.isArray(value)) return value.join(typeof value[0] === "number" ? ", " : ",");
  return String(value);
}

// RunConfig (nested JSON) -> { key: text } as the form and the URL hold it. A field the
// configuration does not have is left out (an older server's, a saved run's).
export function flatten(config) {
  return Object.fromEntries(
    FIELDS.filter((f) => getPath(config, f.path) !== undefined).map((f) => [
      f.key,
      show(getPath(config, f.path)),
    ]),
  );
}

// The fields a configuration has, as the server's defaults show them: a Set of keys.
export function offeredKeys(config) {
  return new Set(FIELDS.filter((f) => getPath(config, f.path) !== undefined).map((f) => f.key));
}

// "8, 8, 4" -> [8, 8, 4]; "5" -> 5 (one layer, as RunConfig's int). maxWidth: the server's limit.
function parseWidths(t, maxWidth) {
  const parts = t.split(/[\s,;×]+/).filter((p) => p !== "");
  for (const p of parts) {
    const x = Number(p);
    if (!Number.isInteger(x)) throw new Error(`"${p}" is not a whole number: widths such as 8, 8, 4`);
    if (x < 1 || x > maxWidth) throw new Error(`a layer has 1 to ${maxWidth} units, not ${x}`);
  }
  if (parts.length > MAX_LAYERS) throw new Error(`at most ${MAX_LAYERS} layers, not ${parts.length}`);
  return parts.length === 1 ? Number(parts[0]) : parts.map(Number);
}

// "x1,x2,x1_sq" -> ["x1", "x2", "x1_sq"]: at least one, each once (the server knows the names).
function parseNames(t) {
  const names = t.split(/[\s,]+/).filter((p) => p !== "");
  if (!names.length) throw new Error("choose at least one feature");
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`${twice} is chosen twice`);
  return names;
}

// One field's text -> its JSON value, or throws an Error whose message says what to type.
// limits: { maxWidth } of the server (a hidden layer's most units).
export function parseField(field, text, limits = {}) {
  const t = String(text ?? "").trim();
  if (t === "") {
    if (field.optional) return null;
    if (field.type === "names") throw new Error("choose at least one feature");
    throw new Error("enter a value");
  }
  if (field.type === "choice") return t;
  if (field.type === "widths") return parseWidths(t, limits.maxWidth ?? Infinity);
  if (field.type === "names") return parseNames(t);
  if (field.type === "scale" && INIT_NAMES.includes(t)) return t;
  const x = Number(t);
  if (!Number.isFinite(x)) throw new Error(`"${t}" is not a number`);
  if (field.type === "int" && !Number.isInteger(x)) throw new Error(`"${t}" is not a whole number`);
  return x;
}

// { key: text } -> { config, errors: { key: message } }. Range checks are the server's job: it
// knows its own limits and says what to change (the hidden layers' count and widths excepted, so a
// list typed wrong is named at once). offered: the keys the server takes (all when not given).
export function toConfig(values, { offered = null, limits = {} } = {}) {
  const config = {};
  const errors = {};
  for (const f of FIELDS) {
    if (offered && !offered.has(f.key)) continue;
    try {
      setPath(config, f.path, parseField(f, values[f.key], limits));
    } catch (e) {
      errors[f.key] = e.message;
    }
  }
  return { config, errors };
}

// The query string of a configuration (all fields, so a link still reproduces the run if the
// defaults change) plus any view options.
export function toQuery(values, view = {}) {
  const params = new URLSearchParams();
  for (const f of FIELDS) params.set(f.key, values[f.key] ?? "");
  for (const key of VIEW_KEYS) if (view[key] != null) params.set(key, view[key]);
  return params.toString();
}

// location.search -> { values: the fields it sets, view: the view options it sets }.
export function fromQuery(search) {
  const params = new URLSearchParams(search);
  const values = {};
  const view = {};
  for (const f of FIELDS) if (params.has(f.key)) values[f.key] = params.get(f.key);
  for (const key of VIEW_KEYS) if (params.has(key)) view[key] = params.get(key);
  return { values, view };
}

const BY_PATH = new Map(FIELDS.map((f) => [f.path.join("."), f.key]));
const GROUP_OF_PREFIX = { dataset: "data" };

// Where to show a server error: a field key, a group ("data", ...), or "general".
// `loc` is FastAPI's location (may be empty); messages of model validators and of the server's
// own limits start with the field's name ("classes: moons has 2 classes", "hidden must be at most
// 1024 ..."), so the first word names the field when loc does not.
export function locate(loc, message) {
  const parts = (loc || []).filter((p) => p !== "body" && p !== "message" && typeof p === "string");
  const word = (stripValueError(message).match(/^[a-z_]+/) || [""])[0];
  for (const candidate of [[...parts, word], [word]]) {
    const key = BY_PATH.get(candidate.join("."));
    if (key && (candidate.length > 1 || parts.length === 0)) return key;
  }
  for (let i = parts.length; i > 0; i--) {
    const key = BY_PATH.get(parts.slice(0, i).join("."));
    if (key) return key;
  }
  return GROUP_OF_PREFIX[parts[0] ?? word] ?? "general";
}

function stripValueError(message) {
  return String(message).replace(/^Value error, /, "");
}

// FastAPI's 422 detail (a string, or a list of { loc, msg }) -> [{ where, message }].
export function describeDetail(detail) {
  if (typeof detail === "string") return [{ where: locate([], detail), message: detail }];
  if (!Array.isArray(detail)) return [{ where: "general", message: JSON.stringify(detail) }];
  return detail.map((d) => {
    const where = locate(d.loc, d.msg);
    const fieldName = (d.loc || []).filter((p) => p !== "body").join(".");
    const text = stripValueError(d.msg);
    return { where, message: where === "general" && fieldName ? `${fieldName}: ${text}` : text };
  });
}

// A WebSocket error message ("learning_rate: Input should be greater than 0", as the server's
// describe() writes pydantic errors) -> { where, message }.
export function describeSocketError(message) {
  const text = String(message);
  const match = text.match(/^([a-z_.]+): (.*)$/);
  if (!match) return { where: "general", message: text };
  const where = locate(match[1].split("."), match[2]);
  const rest = stripValueError(match[2]);
  return { where, message: where === "general" ? text : rest.replace(new RegExp(`^${where}: `), "") };
}
