import type { Oracle } from "./types.ts";

export const wobblyCrm: Oracle = async (page, ctx) => {
  for (let attempt = 0; ; attempt++) {
    await page.goto(`${ctx.url}/register`);
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(ctx.email);
    await page.getByLabel("Password").fill(ctx.password);
    await page.getByRole("button", { name: "Register" }).click();
    await page.waitForLoadState("domcontentloaded");
    if (!(await page.getByRole("heading", { name: /500/ }).count()) || attempt >= 3) break;
  }
  await page.getByText("Check your email").waitFor();
  await page.goto(await ctx.verification("link"));
  await page.goto(`${ctx.url}/login`);
  await page.getByLabel("Email").fill(ctx.email);
  await page.getByLabel("Password").fill(ctx.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("link", { name: "Integrations" }).click();
  await page.getByRole("link", { name: "Manage" }).click();
  await page.getByRole("button", { name: "Generate API key" }).click();
  const cell = page.getByRole("cell", { name: /^wob_/ });
  await cell.first().waitFor();
  return (await cell.last().textContent()) ?? "";
};
