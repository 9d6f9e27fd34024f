/** Money in integer cents (DOMAIN.md: never floats). $99.00 is `cents(9_900)`. */
export type Cents = number & { readonly __brand: 'Cents' };

export function cents(amount: number): Cents {
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError(`Money is a non-negative whole number of cents: ${amount}`);
  return amount as Cents;
}

export const ZERO_CENTS: Cents = cents(0);

export function sumCents(amounts: readonly Cents[]): Cents {
  return cents(amounts.reduce((total, a) => total + a, 0));
}

/** What is still owed after `paid`: never negative (an overpayment owes nothing, it is not credit). */
export function outstandingCents(owed: Cents, paid: Cents): Cents {
  return cents(Math.max(0, owed - paid));
}

/** `14900` → `$149.00`. */
export function formatCents(amount: Cents): string {
  return `$${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}
