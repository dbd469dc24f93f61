// A small form beside a link or a neuron, to type a new weight or bias: Enter or "Set" commits,
// Escape, a click elsewhere or "Cancel" closes it.
export interface EditRequest {
  label: string;
  value: number;
  at: { x: number; y: number };
  commit(value: number): void;
}

/** Weights and biases set by hand stay within ±LIMIT: the colour scale saturates long before. */
export const LIMIT = 100;

export class ValueEditor {
  private readonly form = document.createElement("form");
  private readonly caption = document.createElement("span");
  private readonly input = document.createElement("input");
  private readonly problem = document.createElement("p");
  private request: EditRequest | null = null;

  constructor() {
    const { form, caption, input, problem } = this;
    form.className = "editor";
    form.hidden = true;
    form.setAttribute("role", "dialog");
    input.type = "number";
    input.step = "any";
    input.required = true;
    input.id = "editValue";
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.append(caption);
    const set = document.createElement("button");
    set.type = "submit";
    set.className = "primary";
    set.textContent = "Set";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", () => this.close());
    problem.className = "editor-problem";
    const row = document.createElement("div");
    row.append(input, set, cancel);
    form.append(label, row, problem);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = Number(input.value);
      if (input.value.trim() === "" || !Number.isFinite(value) || Math.abs(value) > LIMIT) {
        problem.textContent = `Type a number between −${LIMIT} and ${LIMIT}.`;
        return;
      }
      const request = this.request;
      this.close();
      request?.commit(value);
    });
    form.addEventListener("keydown", (event) => event.key === "Escape" && this.close());
    document.addEventListener("pointerdown", (event) => {
      if (this.request && !form.contains(event.target as Node)) this.close();
    });
    document.body.append(form);
  }

  open(request: EditRequest): void {
    this.request = request;
    this.caption.textContent = request.label;
    this.form.setAttribute("aria-label", request.label);
    this.input.value = String(Number(request.value.toPrecision(6)));
    this.problem.textContent = "";
    this.form.hidden = false;
    // beside the point, kept inside the window
    const box = this.form.getBoundingClientRect();
    const x = Math.min(Math.max(8, request.at.x + 8), window.innerWidth - box.width - 8);
    const y = Math.min(Math.max(8, request.at.y - box.height / 2), window.innerHeight - box.height - 8);
    this.form.style.left = `${x}px`;
    this.form.style.top = `${y}px`;
    this.input.focus();
    this.input.select();
  }

  close(): void {
    this.request = null;
    this.form.hidden = true;
  }
}
