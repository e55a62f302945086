/**
 * A 20-property JSON Schema (with `format: email`, `date-time`, `uri`, `uuid`) and a matching ~2 KB
 * answer, shared by the k6 bench, the k6 runtime check and the unit tests.
 */
export const SCHEMA_20 = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'email', 'createdAt', 'status', 'score', 'tags', 'address', 'items', 'summary'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string', minLength: 1, maxLength: 80 },
    email: { type: 'string', format: 'email' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    website: { type: 'string', format: 'uri' },
    status: { enum: ['active', 'pending', 'closed'] },
    score: { type: 'number', minimum: 0, maximum: 1 },
    age: { type: 'integer', minimum: 0, maximum: 150 },
    verified: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 10, uniqueItems: true },
    phone: { type: 'string', pattern: '^\\+?[0-9 ()-]{7,20}$' },
    country: { type: 'string', minLength: 2, maxLength: 2 },
    language: { type: 'string' },
    address: {
      type: 'object',
      required: ['street', 'city', 'postcode'],
      properties: { street: { type: 'string' }, city: { type: 'string' }, postcode: { type: 'string' } },
    },
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['sku', 'quantity', 'price'],
        properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 }, price: { type: 'number' }, note: { type: 'string' } },
      },
    },
    total: { type: 'number' },
    currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
    summary: { type: 'string', maxLength: 1000 },
    metadata: { type: 'object' },
  },
} as const;

/** A valid answer to SCHEMA_20, about 2 KB of JSON. */
export function answer20(): Record<string, unknown> {
  const items = [];
  for (let i = 0; i < 8; i++) {
    items.push({ sku: `SKU-${1000 + i}`, quantity: i + 1, price: 9.99 + i, note: `Item ${i} requested by the customer for delivery` });
  }
  return {
    id: '0b4a6c1e-8d5f-4c3a-9e2b-7f1d0a6b5c4d',
    name: 'Ada Lovelace',
    email: 'ada.lovelace@example.com',
    createdAt: '2025-01-15T10:30:00Z',
    updatedAt: '2025-02-01T08:00:00.123+01:00',
    website: 'https://example.com/users/ada',
    status: 'active',
    score: 0.87,
    age: 36,
    verified: true,
    tags: ['math', 'engines', 'poetry', 'notes'],
    phone: '+44 20 7946 0958',
    country: 'GB',
    language: 'en-GB',
    address: { street: '12 St James Square', city: 'London', postcode: 'SW1Y 4JH' },
    items,
    total: 107.92,
    currency: 'GBP',
    summary:
      'The customer placed an order for eight items; all are in stock and will ship within two working days. ' +
      'The analytical engine notes were attached as requested and the invoice was sent to the address on file.',
    metadata: { source: 'bench', version: 3 },
  };
}

/** The fields `requiredFields` checks in the bench: nested and array paths. */
export const REQUIRED_20 = ['id', 'email', 'address.city', '/address/postcode', 'items[0].sku', 'items.7.price'];
