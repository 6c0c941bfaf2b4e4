import type { CardEntity } from "./card.entity.ts";
import type { CardInfo } from "./issuer.ts";

export type CardItem = NonNullable<Awaited<ReturnType<ReturnType<typeof CardEntity.get>["go"]>>["data"]>;

export function toCardInfo(item: CardItem): CardInfo {
  return {
    id: item.id,
    provider: item.provider,
    providerCardId: item.providerCardId,
    jobId: item.jobId,
    vendor: item.vendor,
    status: item.status,
    currency: item.currency,
    limit: item.limit,
    held: item.held,
    monthlyLimit: item.monthlyLimit ?? null,
    subscription: item.subscription,
    merchantDescriptor: item.merchantDescriptor,
    last4: item.last4,
    expMonth: item.expMonth,
    expYear: item.expYear,
    createdAt: item.createdAt,
  };
}
