/** Money in integer cents (DOMAIN.md: never floats). */
export type Cents = number & { readonly __brand: 'Cents' };

export function cents(amount: number): Cents {
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError(`Money is a non-negative whole number of cents: ${amount}`);
  return amount as Cents;
}

export function sumCents(amounts: readonly Cents[]): Cents {
  return cents(amounts.reduce((total, a) => total + a, 0));
}

/** `14900` → `$149.00`. */
export function formatCents(amount: Cents): string {
  return `$${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}
