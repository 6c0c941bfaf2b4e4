import type { Skill } from "./skill.ts";

/** Tech skill: the local card network's checkout frame (contract: labelled inputs and a "Pay" button). */
export const cardNetwork: Skill = {
  id: "card-network",
  hints: {
    checkout:
      'The card form is inside an iframe. Type {{CARD_NUMBER}} into "Card number", {{CARD_EXPIRY}} into "Expiry (MM/YY)", {{CARD_CVC}} into "CVC", {{CARDHOLDER_NAME}} into "Name on card", then click "Pay" and wait for the page to confirm.',
  },
};

export const CARD_FIELDS: { name: RegExp; value: string }[] = [
  { name: /card ?number|number on card|credit card|^card$/i, value: "{{CARD_NUMBER}}" },
  { name: /expir|exp\.? date|mm ?\/ ?yy/i, value: "{{CARD_EXPIRY}}" },
  { name: /cvc|cvv|security code|card code/i, value: "{{CARD_CVC}}" },
  { name: /name on card|cardholder|card holder/i, value: "{{CARDHOLDER_NAME}}" },
];
