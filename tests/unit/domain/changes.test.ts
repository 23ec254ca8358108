import { detectChanges, type Json } from '../../../shared/domain/changes';

describe('detectChanges', () => {
  const original: Json = {
    invoice_id: 'INV-100',
    customer: { name: 'Microsoft', address: { city: 'Redmond' } },
    items: [
      { description: 'Consulting', amount: 60 },
      { description: 'Training', amount: 30 },
      { description: 'Support', amount: 20 },
    ],
    total: 110,
    notes: 'net 30',
  };

  it('when nothing changed, then there are no changes', () => {
    expect(detectChanges(original, structuredClone(original)).counts).toEqual({
      modifications: 0,
      additions: 0,
      deletions: 0,
      total: 0,
    });
  });

  it('when fields change through nested objects and line items, then each is a modification with its JSON path', () => {
    const edited = structuredClone(original) as {
      customer: { address: { city: string } };
      items: { amount: number }[];
      total: number;
    };
    edited.customer.address.city = 'Seattle';
    edited.items[1] = { ...edited.items[1], amount: 35 };
    edited.total = 115;
    expect(detectChanges(original, edited as unknown as Json).modifications).toEqual([
      { path: '$.customer.address.city', old_value: 'Redmond', new_value: 'Seattle' },
      { path: '$.items[1].amount', old_value: 30, new_value: 35 },
      { path: '$.total', old_value: 110, new_value: 115 },
    ]);
  });

  it('when a line item and a field are added and another removed, then they are additions and deletions', () => {
    const edited = {
      ...(original as object),
      items: [...(original as { items: Json[] }).items.slice(0, 2)],
      po_number: 'PO-9',
      notes: undefined,
    } as unknown as Json;
    const changes = detectChanges(original, JSON.parse(JSON.stringify(edited)) as Json);
    expect(changes.additions).toEqual([{ path: '$.po_number', new_value: 'PO-9' }]);
    expect(changes.deletions).toEqual([
      { path: '$.items[2]', old_value: { description: 'Support', amount: 20 } },
      { path: '$.notes', old_value: 'net 30' },
    ]);
    expect(changes.counts).toEqual({ modifications: 0, additions: 1, deletions: 2, total: 3 });
  });

  it('when a key is not an identifier, then the path quotes it', () => {
    const changes = detectChanges({ 'Invoice Total': 1 }, { 'Invoice Total': 2 });
    expect(changes.modifications[0]?.path).toBe('$["Invoice Total"]');
  });

  it('when a value changes type, then it is one modification', () => {
    expect(detectChanges({ a: { b: 1 } }, { a: 'flat' }).modifications).toEqual([
      { path: '$.a', old_value: { b: 1 }, new_value: 'flat' },
    ]);
  });
});
