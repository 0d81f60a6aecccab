// The pictures and the HTML: their structure, their escaping of user text, and byte-stable output.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PacketRecord, ScenarioResult } from "../src/index.js";
import {
  htmlFragment,
  loadScenario,
  packetHtml,
  pathSvg,
  reportPage,
  runScenario,
  scenarioHtml,
  sequenceMermaid,
  stepHtml,
  stepMarkdown,
  summaryMarkdown,
  topologySvg,
} from "../src/index.js";
import { xml } from "../src/render/escape.js";
import { scenario } from "./helpers.js";

function lesson(file: string) {
  const l = loadScenario(readFileSync(`scenarios/${file}.yaml`, "utf8"), `scenarios/${file}.yaml`);
  if (!l.ok) throw new Error(`${file} does not load`);
  return { world: l.scenario.world, result: runScenario(l.scenario) };
}

/** Tags open and close in order, and every `&` starts an entity: the text parses as XML. */
function wellFormed(markup: string): void {
  const stack: string[] = [];
  const body = markup.replace(/<!doctype html>/i, "").replace(/<style>[^<]*<\/style>/g, "<style></style>");
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|#\d+);)/g)) {
    if (m[0] === "<" || m[0] === "&") throw new Error(`a raw ${m[0]} at ${m.index}: ${body.slice(m.index! - 40, m.index! + 40)}`);
    const [, close, tag, , self] = m;
    const VOID = new Set(["meta", "br"]);
    if (self || VOID.has(tag!)) continue;
    if (close) expect(stack.pop(), `closing ${tag} at ${m.index}`).toBe(tag);
    else stack.push(tag!);
  }
  expect(stack).toEqual([]);
}

/** Whether `s` holds a raw control or bidi character of HOSTILE rather than its escape. */
const raw = (s: string) => ["\u202e", "\u001b", "\u0007"].some((c) => s.includes(c));

const HOSTILE = `<script>alert("x")</script> & 'q' \u202e\u001b[31m\u0007`;
const hostileText = `
name: ${JSON.stringify(HOSTILE)}
description: ${JSON.stringify(`${HOSTILE}\nsecond line`)}
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
security-groups:
  open:
    inbound:
      - { protocol: tcp, ports: 22, source: 10.0.0.0/16, description: ${JSON.stringify(`"><img src=x onerror=alert(1)> ${HOSTILE}`)} }
instances:
  x: { subnet: a, private-ip: 10.0.1.10, security-groups: [open] }
  y: { subnet: a, private-ip: 10.0.1.20 }
steps:
  - connect: { from: y, to: x, protocol: tcp, port: 22 }
    expect: denied
`;

/** A step's packets with a component renamed to hostile text, as a world built by hand could name it. */
function hostilePackets(): PacketRecord[] {
  const packets = lesson("ephemeral-ports").result.steps[0]!.packets;
  return JSON.parse(JSON.stringify(packets).replaceAll("web-acl", JSON.stringify(HOSTILE).slice(1, -1)));
}

function hostile(): ScenarioResult & { world: ReturnType<typeof scenario>["world"] } {
  const s = scenario(hostileText, `${HOSTILE}.yaml`);
  return { ...runScenario(s), world: s.world };
}

describe("xml", () => {
  it("escapes markup, quotes, controls, bidi marks and lone surrogates", () => {
    expect(xml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(xml("a\u202eb\u001bc\nd\ud800")).toBe("a\\u202eb\\u001bc\\nd\\ud800");
  });
});

describe("pathSvg", () => {
  const { result } = lesson("ephemeral-ports");
  const denied = result.steps[0]!;
  const svg = pathSvg(denied.packets);
  it("draws the request passing and the reply stopped at the ACL's outbound side", () => {
    wellFormed(svg);
    const [request, reply] = svg.split("reply: tcp");
    expect(request).toContain("delivered");
    expect(request).not.toContain('class="deny"');
    expect(request).toContain("inbound: allow");
    expect(reply).toContain("dropped at network-acl web-acl outbound (SUBNET_ACL_RESTRICTION)");
    expect(reply!.match(/class="deny"/g)).toHaveLength(1);
    expect(reply).toMatch(/class="deny"\/>.*web-acl.*outbound: deny/);
    expect(reply).toContain("* deny all to 0.0.0.0/0");
    expect(reply).toContain('class="cross"');
    expect(reply).toContain("not reached");
  });
  it("puts the reply's hop under the request's hop at the same component", () => {
    const x = (part: string, label: string) => {
      const i = part.indexOf(`>${label}</text>`);
      return Number(/x="([\d.]+)"[^<]*$/.exec(part.slice(0, i))![1]);
    };
    const [request, reply] = svg.split("reply: tcp");
    expect(x(reply!, "web-acl")).toBe(x(request!, "web-acl"));
  });
  it("draws a delivered connection with no drop", () => {
    const ok = pathSvg(result.steps[2]!.packets);
    wellFormed(ok);
    expect(ok).not.toContain('class="deny"');
    expect(ok).not.toContain('class="cross"');
  });
  it("is byte-identical across runs", () => {
    expect(pathSvg(lesson("ephemeral-ports").result.steps[0]!.packets)).toBe(svg);
  });
  it("says when no packet was sent", () => {
    expect(pathSvg([])).toContain("no packet was sent");
  });
  it("gives a drop past the last hop a box of its own", () => {
    const nat = lesson("nat-instance").result.steps[0]!;
    const pic = pathSvg(nat.packets);
    wellFormed(pic);
    expect(pic).toContain("ENI_SOURCE_DEST_CHECK_RESTRICTION");
    // under the box, a code longer than a line is broken where the line ends, not cut
    expect(pic).toMatch(/>ENI_SOURCE_DEST_CHECK_RES<\/text><text [^>]*>TRICTION<\/text>/);
  });
  it("escapes hostile names", () => {
    const pic = pathSvg(hostilePackets());
    expect(pic).toContain("&lt;script&gt;");
    wellFormed(pic);
    expect(pic).not.toMatch(/<script|<img/);
    expect(raw(pic)).toBe(false);
  });
});

describe("topologySvg", () => {
  it("shows the VPC, subnets with ACLs and routes, instances with groups, gateways and hosts", () => {
    const { world } = lesson("nat-gateway");
    const svg = topologySvg(world);
    wellFormed(svg);
    for (const s of ["VPC vpc 10.0.0.0/16", "subnet public", "subnet private", "network ACL private-acl", "route table to-nat"])
      expect(svg).toContain(s);
    for (const s of [
      "0.0.0.0/0 → nat-gateway nat-gw",
      "instance worker",
      "groups: worker-sg",
      "NAT gateway nat-gw",
      "internet host api",
      "internet gateway",
    ])
      expect(svg).toContain(s);
    expect(topologySvg(lesson("nat-gateway").world)).toBe(svg);
  });
  it("escapes hostile names", () => {
    const { world } = lesson("ephemeral-ports");
    const subnet = { ...world.subnets.public!, name: HOSTILE, networkAcl: HOSTILE };
    const svg = topologySvg({ ...world, subnets: { [HOSTILE]: subnet } });
    wellFormed(svg);
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).not.toMatch(/<script/);
    expect(raw(svg)).toBe(false);
  });
});

describe("sequenceMermaid", () => {
  it("draws each hop as a message, the drop as a cross, the reply dashed", () => {
    const text = sequenceMermaid(lesson("ephemeral-ports").result.steps[0]!.packets);
    const lines = text.split("\n");
    expect(lines[0]).toBe("sequenceDiagram");
    expect(lines.filter((l) => l.startsWith("  participant "))).toHaveLength(5);
    expect(lines.some((l) => /^ {2}c\d+->>c\d+: allow: 100 allow tcp port 443/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}c\d+--xc\d+: dropped, deny: \* deny all/.test(l))).toBe(true);
    expect(text).toContain("Note over c2: SUBNET_ACL_RESTRICTION");
  });
  it("writes hostile text with Mermaid's entity codes, on one line", () => {
    const text = sequenceMermaid(hostilePackets());
    const labels = text.split("\n").map((l) => l.replace(/^ {2}(?:participant c\d+ as |[^:]*: )/, ""));
    for (const l of labels.slice(1)) {
      expect(l.replace(/#\w+;/g, "")).not.toMatch(/[<>;#"]/);
      expect(raw(l)).toBe(false);
    }
    expect(text).toContain("#lt;script#gt;alert(#quot;x#quot;)#lt;/script#gt;");
  });
});

describe("HTML", () => {
  it("a scenario: topology, table, each step's picture; hostile text escaped", () => {
    const h = hostile();
    const html = htmlFragment(scenarioHtml(h, h.world));
    wellFormed(html);
    expect(html).not.toMatch(/<script|<img/);
    expect(raw(html)).toBe(false);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|\son\w+=/);
  });
  it("is readable in light and dark: its colours come from a palette with a dark variant", () => {
    const html = htmlFragment(stepHtml(lesson("ephemeral-ports").result.steps[0]!));
    expect(html).toContain("@media (prefers-color-scheme: dark){.vpcsim{");
    expect(html).not.toMatch(/(?:fill|color|stroke):#/);
  });
  it("a packet and the whole page are well formed and stable", () => {
    const { result, world } = lesson("ephemeral-ports");
    const one = packetHtml(result.steps[0]!.packets[1]!);
    wellFormed(htmlFragment(one));
    expect(one).toContain("Fix: add rule 110");
    const page = reportPage([scenarioHtml(result, world)], "2 passed, 0 failed", []);
    wellFormed(page);
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(reportPage([scenarioHtml(lesson("ephemeral-ports").result, world)], "2 passed, 0 failed", [])).toBe(page);
  });
});

describe("Markdown", () => {
  it("the summary is a list and a paragraph of its own, not one run-on paragraph", () => {
    const md = summaryMarkdown([lesson("ephemeral-ports").result], 0);
    expect(md).toBe("- Scenarios: 1 passed (1)\n- Expectations: 2 passed (2)\n\n2 passed, 0 failed");
  });
  it("a step lists its packets' traces", () => {
    const md = stepMarkdown(lesson("ephemeral-ports").result.steps[0]!);
    expect(md.startsWith("**1. connect laptop → web tcp/443:** request delivered")).toBe(true);
    expect(md).toContain("**request:**");
    expect(md).toContain("**reply:**");
  });
});
