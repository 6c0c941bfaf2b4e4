function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function formatAmount(amount: number, currency: string): string {
  return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

/**
 * The card form vendors embed as an iframe. It authorizes from inside the frame (same origin as the network),
 * so the vendor page never sees the card details, then tells the parent page the outcome.
 */
export function frameHtml(input: { merchant: string; amount: number; currency: string }): string {
  const config = JSON.stringify(input).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Card payment</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; padding: 12px; }
  label { display: block; margin-top: 8px; font-size: 14px; }
  input { display: block; width: 100%; box-sizing: border-box; padding: 6px; font-size: 14px; }
  button { margin-top: 12px; padding: 8px 16px; }
  #status { margin-top: 8px; font-size: 14px; }
</style>
</head>
<body>
<form id="pay" novalidate>
  <p>Pay <strong>${escapeHtml(formatAmount(input.amount, input.currency))}</strong> to ${escapeHtml(input.merchant)}</p>
  <label for="number">Card number</label>
  <input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required>
  <label for="expiry">Expiry (MM/YY)</label>
  <input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="MM/YY" required>
  <label for="cvc">CVC</label>
  <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required>
  <label for="name">Name on card</label>
  <input id="name" name="name" autocomplete="cc-name">
  <button type="submit">Pay</button>
  <p id="status" role="status" aria-live="polite"></p>
</form>
<script>
  const config = ${config};
  const form = document.getElementById("pay");
  const status = document.getElementById("status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    status.textContent = "Processing…";
    let result;
    try {
      const response = await fetch("/authorize", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          card: {
            number: form.number.value,
            expiry: form.expiry.value,
            cvc: form.cvc.value,
            name: form.elements.name.value,
          },
          merchant: { name: config.merchant },
          amount: config.amount,
          currency: config.currency,
        }),
      });
      result = await response.json();
    } catch (error) {
      result = { approved: false, reason: "network_error" };
    }
    status.textContent = result.approved ? "Payment approved" : "Payment declined: " + (result.reason || "unknown");
    button.disabled = false;
    window.parent.postMessage(
      { source: "fg-card-network", approved: Boolean(result.approved), authorizationId: result.authorizationId, reason: result.reason },
      "*",
    );
  });
</script>
</body>
</html>`;
}
