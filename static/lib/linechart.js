// What the page's Plotly charts (the loss slice, the hidden space) share: their base layout at
// the page's type size, and laying them all out again when that size changes (presentation
// mode). The line charts over steps are not Plotly's: lib/stepchart.js paints them.

// Every Plotly chart on the page, so a change of type size (presentation mode) reaches them all.
const plots = new Set();

let loading = null;

// plotly.js, loaded on first use: only the loss slice draws with it, so the page's first frame
// never waits for its 400 kB on a lecture hall's Wi-Fi. Resolves to Plotly.
export function plotlyReady() {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL("../vendor/plotly/plotly-basic.min.js", import.meta.url).href;
      script.onload = () => resolve(globalThis.Plotly);
      script.onerror = () => {
        loading = null; // a dropped connection: the next use tries again
        reject(new Error("plotly.js did not load"));
      };
      document.head.append(script);
    });
  }
  return loading;
}

export function trackPlot(el) {
  plots.add(el);
}

// How a y axis writes its numbers. On a projector every label is as large as the ticks: Plotly
// draws a log axis's 2s and 5s and a power's exponent smaller, so there it writes 1e-3 and
// labels the powers of ten only.
function yNumbers() {
  const presenting = document.body.classList.contains("presenting");
  return presenting
    ? { exponentformat: "e", minorloglabels: "none" }
    : { exponentformat: "power", minorloglabels: "small digits" };
}

// Lay every chart out again for the type size the page has now.
export function relayoutAll() {
  if (typeof Plotly === "undefined") return;
  const numbers = yNumbers();
  for (const el of plots) {
    if (!el.layout) continue;
    const base = baseLayout(el);
    Plotly.relayout(el, {
      "yaxis.exponentformat": numbers.exponentformat,
      "yaxis.minorloglabels": numbers.minorloglabels,
      "font.size": base.font.size,
      "legend.font.size": base.legend.font.size,
      "margin.l": base.margin.l,
      "margin.r": base.margin.r,
      "margin.t": base.margin.t,
      "margin.b": base.margin.b,
    });
  }
}

export function baseLayout(el) {
  const font = parseFloat(getComputedStyle(el).fontSize) || 14;
  return {
    font: { family: "system-ui, sans-serif", size: Math.round(font * 0.85), color: "#222" },
    margin: { l: 4.2 * font, r: 1 * font, t: 0.6 * font, b: 2.6 * font },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "#fff",
    showlegend: true,
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom", font: { size: Math.round(font * 0.8) } },
    hovermode: "x",
    uirevision: "keep", // zoom and toggles survive redraws
  };
}
