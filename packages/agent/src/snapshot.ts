export interface SnapshotNode {
  role: string;
  name: string;
  ref?: string;
  value?: string;
  url?: string;
  depth: number;
  attrs: Record<string, string | true>;
  /** Index of the closest dialog/alertdialog/form/region ancestor, for scoping heuristics. */
  container?: number;
  /** Ref of the iframe element when the node lives inside a frame. */
  frame?: string;
}

const LINE = /^(\s*)- ([a-zA-Z/]+)(?: "((?:[^"\\]|\\.)*)")?((?: \[[^\]]*\])*)(?::\s?(.*))?$/;
const CONTAINER_ROLES = new Set([
  "dialog",
  "alertdialog",
  "form",
  "region",
  "banner",
  "navigation",
  "iframe",
]);

/** Parses Playwright's ai-mode ARIA snapshot (a YAML subset) into a flat node list. */
export function parseSnapshot(text: string): SnapshotNode[] {
  const nodes: SnapshotNode[] = [];
  const stack: { depth: number; index: number }[] = [];
  for (const raw of text.split("\n")) {
    const match = LINE.exec(raw);
    if (!match) continue;
    const [, indent = "", role = "", name = "", attrText = "", rest] = match;
    const depth = indent.length / 2;
    while (stack.length && (stack.at(-1)?.depth ?? 0) >= depth) stack.pop();
    if (role === "/url") {
      const parent = nodes[stack.at(-1)?.index ?? -1];
      if (parent) parent.url = rest?.trim();
      continue;
    }
    if (role.startsWith("/")) continue;
    const attrs: Record<string, string | true> = {};
    for (const a of attrText.matchAll(/\[([^\]=]+)(?:=([^\]]*))?\]/g)) attrs[a[1] as string] = a[2] ?? true;
    const container = [...stack].reverse().find((s) => CONTAINER_ROLES.has(nodes[s.index]?.role ?? ""));
    const ref = typeof attrs.ref === "string" ? attrs.ref : undefined;
    const frameNode = [...stack].reverse().find((s) => nodes[s.index]?.role === "iframe");
    const node: SnapshotNode = {
      role,
      name: role === "text" ? (rest ?? "").replace(/^"|"$/g, "") : name.replace(/\\"/g, '"'),
      depth,
      attrs,
      ...(ref ? { ref } : {}),
      ...(container ? { container: container.index } : {}),
      ...(frameNode ? { frame: nodes[frameNode.index]?.ref ?? "iframe" } : {}),
    };
    if (role !== "text" && rest?.trim()) node.value = rest.trim().replace(/^"|"$/g, "");
    nodes.push(node);
    stack.push({ depth, index: nodes.length - 1 });
  }
  return nodes;
}

export const INTERACTIVE_ROLES = new Set([
  "button",
  "link",
  "textbox",
  "searchbox",
  "checkbox",
  "radio",
  "combobox",
  "listbox",
  "option",
  "menuitem",
  "tab",
  "switch",
  "spinbutton",
  "slider",
]);

/**
 * Bounds a snapshot to roughly `tokens` tokens (4 characters each). Structural noise goes first
 * (cursor hints, unnamed wrappers), then long text is clipped, and last, non-interactive lines are
 * dropped from the end so every control the planner could act on survives as long as possible.
 */
export function boundSnapshot(text: string, tokens: number): string {
  const budget = tokens * 4;
  const lines = text
    .split("\n")
    .map((l) => l.replace(/ \[cursor=pointer\]| \[active\]/g, ""))
    .filter((l) => !/^\s*- generic(?: \[ref=[^\]]+\])?:?$/.test(l))
    .map((l) => (l.length > 240 ? `${l.slice(0, 237)}...` : l));
  let out = lines.join("\n");
  if (out.length <= budget) return out;
  const keep = lines.map((l) => {
    const role = /^\s*- ([a-z]+)/.exec(l)?.[1] ?? "";
    return (
      INTERACTIVE_ROLES.has(role) || ["heading", "dialog", "alert", "alertdialog", "iframe"].includes(role)
    );
  });
  const kept: string[] = [];
  let size = 0;
  let dropped = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!keep[i] && size + line.length > budget * 0.6) {
      dropped++;
      continue;
    }
    if (size + line.length + 1 > budget - 40) {
      dropped += lines.length - i;
      break;
    }
    kept.push(line);
    size += line.length + 1;
  }
  out = kept.join("\n");
  return dropped ? `${out}\n# … ${dropped} lines omitted to fit the budget` : out;
}

/** All visible text of the snapshot, lower-cased, for classification. */
export function snapshotText(nodes: SnapshotNode[]): string {
  return nodes
    .map((n) => [n.name, n.value].filter(Boolean).join(" "))
    .join("\n")
    .toLowerCase();
}
