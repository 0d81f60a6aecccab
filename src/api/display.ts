// Results that display themselves wherever they are shown: Deno's Jupyter kernel calls
// `[Symbol.for("Jupyter.display")]()` and renders the MIME bundle it returns; Node's REPL and tslab
// print what `[Symbol.for("nodejs.util.inspect.custom")]` returns; `JSON.stringify` uses `toJSON`;
// a page with a DOM (Observable, Quarto OJS, Starboard) takes `toElement()`. The core imports none
// of Deno, tslab or the DOM: the symbols are global and the DOM's shape is declared below.
import { VpcsimError } from "../model/errors.js";
import { htmlFragment } from "../render/packet-html.js";

/** What a notebook shows, one representation per MIME type. */
export interface MimeBundle {
  readonly "text/plain": string;
  readonly "text/markdown": string;
  readonly "text/html": string;
  readonly "application/json": unknown;
}

/** The part of a DOM node this module hands back: a page's own Element. */
export interface DisplayElement {
  readonly outerHTML: string;
}

/** The least of a DOM document `toElement` uses. */
interface TemplateDocument {
  createElement(tag: "template"): { innerHTML: string; readonly content: { readonly firstElementChild: DisplayElement | null } };
}

/** Deno's Jupyter display symbol (`Deno.jupyter.$display`). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;
/** Node's `util.inspect.custom`, used by the REPL, console.log and tslab. */
export const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/** A result that shows itself as text, Markdown, HTML (with pictures) and JSON. */
export abstract class Displayable {
  /**
   * The stable data: what `JSON.stringify` writes.
   * @example
   * JSON.stringify(sim.report()); // the scenario result, as `vpcsim run --format json` writes it
   */
  abstract toJSON(): unknown;
  /** As the CLI prints it. */
  abstract toString(): string;
  /**
   * As Markdown, the CLI's `--format markdown`.
   * @example
   * const md = sim.report().toMarkdown();
   */
  abstract toMarkdown(): string;
  /** The HTML body, without the style. */
  protected abstract htmlBody(): string;

  /**
   * As self-contained HTML (inline style, no scripts) with its pictures, for light and dark pages.
   * @example
   * const html = sim.connect("laptop", "web", { protocol: "tcp", port: 443 }).toHTML();
   */
  toHTML(): string {
    return htmlFragment(this.htmlBody());
  }

  /**
   * The MIME bundle Deno's Jupyter kernel renders.
   * @example
   * const bundle = result[Symbol.for("Jupyter.display")](); // { "text/plain", "text/markdown", "text/html", "application/json" }
   */
  [JUPYTER_DISPLAY](): MimeBundle {
    return {
      "text/plain": this.toString(),
      "text/markdown": this.toMarkdown(),
      "text/html": this.toHTML(),
      "application/json": JSON.parse(JSON.stringify(this.toJSON())),
    };
  }

  /**
   * What Node's REPL, console.log and tslab print.
   * @example
   * console.log(result); // as the CLI prints it
   */
  [INSPECT](): string {
    return this.toString();
  }

  /**
   * A DOM node of `toHTML()`, for pages that show nodes (Observable, Quarto OJS, Starboard). Throws
   * a VpcsimError where there is no `document`.
   * @example
   * document.body.append(sim.report().toElement());
   */
  toElement(): DisplayElement {
    const document = (globalThis as { document?: TemplateDocument }).document;
    if (typeof document?.createElement !== "function")
      throw new VpcsimError("environment/document", "toElement: there is no DOM here (no globalThis.document); use toHTML() instead");
    const template = document.createElement("template");
    template.innerHTML = this.toHTML();
    const element = template.content.firstElementChild;
    if (!element) throw new Error("toElement: the HTML made no element");
    return element;
  }
}
