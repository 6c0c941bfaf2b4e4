import type { Oracle } from "./types.ts";

export const nimbusDb: Oracle = async (page, ctx) => {
  await page.goto(`${ctx.url}/signup`);
  await page.getByLabel("Full name").fill("Ada Lovelace");
  await page.getByLabel("Work email").fill(ctx.email);
  await page.getByLabel("Password").fill(ctx.password);
  await page.getByLabel("I agree to the Terms of Service").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Verification code").waitFor();
  await page.getByLabel("Verification code").fill(await ctx.verification("code"));
  await page.getByRole("button", { name: "Verify email" }).click();
  await page.getByRole("link", { name: "API keys", exact: true }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const key = page.locator("#new-key");
  await key.filter({ hasText: /nmb_/ }).waitFor();
  return (await key.textContent()) ?? "";
};
