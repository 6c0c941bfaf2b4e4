import { z } from "zod";

export const PageInput = {
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
};

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
