// The questions the driver can ask, as the server's templates name them (POST .../polls), and
// the few numbers each takes. The server writes the question's words and finds its answer.

export const TEMPLATES = [
  { name: "loss_after", label: "After n more steps: test loss higher or lower?", fields: ["n"] },
  { name: "larger_gradient", label: "Larger gradient norm now: W(a) or W(b)?", fields: ["a", "b"] },
  { name: "diverges", label: "Will this learning rate diverge within n steps?", fields: ["n"] },
  { name: "first_flip", label: "Which point flips class first? (click it)", fields: ["n"] },
  {
    name: "output_delta",
    label: "dL/dz of the output for a sample and class (a number)",
    fields: ["sample", "class"],
  },
  { name: "text", label: "Your own question, 2–5 choices", fields: ["question", "choices", "answer"] },
];

export const FIELD_LABELS = {
  n: "Steps ahead",
  a: "Matrix a (W…)",
  b: "Matrix b (W…)",
  sample: "Training sample",
  class: "Class",
  question: "Question",
  choices: "Choices, one a line",
  answer: "Right choice (number, optional)",
};

export const FIELD_DEFAULTS = {
  n: "50",
  a: "1",
  b: "2",
  sample: "0",
  class: "1",
  question: "",
  choices: "",
  answer: "",
};

// The request body for a template from the texts typed in its fields; numbers are sent as typed
// numbers and the server names any that does not fit.
export function pollRequest(name, values) {
  const number = (key) => (values[key] === "" || values[key] === undefined ? undefined : Number(values[key]));
  if (name === "text") {
    const choices = String(values.choices ?? "")
      .split("\n")
      .map((c) => c.trim())
      .filter((c) => c !== "");
    const answer = number("answer");
    return {
      template: "text",
      question: values.question ?? "",
      choices,
      answer: answer === undefined ? null : answer - 1,
    };
  }
  if (name === "larger_gradient") return { template: name, layers: [number("a"), number("b")] };
  if (name === "output_delta") return { template: name, sample: number("sample"), class: number("class") };
  return { template: name, n: number("n") };
}
