import type { Context } from "hono";
import { html, raw } from "hono/html";

export type Markup = ReturnType<typeof html>;

/** A full HTML document; `script` is trusted inline client code of the vendor itself. */
export function document(input: {
  title: string;
  style: string;
  body: Markup;
  script?: string;
  lang?: string;
}): Markup {
  return html`<!doctype html>
<html lang="${input.lang ?? "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title}</title>
<style>${raw(input.style)}</style>
</head>
<body>
${input.body}
${input.script ? html`<script>${raw(input.script)}</script>` : ""}
</body>
</html>`;
}

/** Form fields as strings (files and repeated fields are not used by the demo vendors). */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : ""]),
  ) as Record<string, string>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** For hand-built mail HTML (pages use the escaping `html` template). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
