/** Money: parse, format, minor units per currency, totals per currency. Nothing else parses or formats money. */
export * from './currency';
export * from './money';
export * from './parse-money';
