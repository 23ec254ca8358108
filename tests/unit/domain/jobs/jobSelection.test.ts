import { exportRow, jobFilter, jobRecordsFilter, recordsAfter } from '../../../../shared/domain/jobs';
import { jobRequest, thrownBy } from './jobBuilders';

describe('jobFilter', () => {
  it('when documents are exported without filters, then every record matches', () => {
    expect(jobFilter(jobRequest(), 'documents')).toEqual({ where: 'true', parameters: [] });
  });

  it('when export tracking is exported, then only stage records are read', () => {
    expect(jobFilter(jobRequest({ data_types: ['export_tracking'] }), 'export_tracking')).toEqual({
      where: "c.type = 'stage'",
      parameters: [],
    });
  });

  it('when filters and field filters are given, then each value is bound as a parameter, never spelled in SQL', () => {
    const request = jobRequest({
      filters: {
        document_type: 'invoice',
        status: 'extracted',
        document_id: "x' OR 1=1 --",
        fields: { 'extracted_data.InvoiceId': 'INV-1', paid: true },
      },
    });
    expect(jobFilter(request, 'documents')).toEqual({
      where:
        'c.document_type = @p0 AND c.status = @p1 AND c.document_id = @p2 AND c["extracted_data"]["InvoiceId"] = @p3 AND c["paid"] = @p4',
      parameters: [
        { name: '@p0', value: 'invoice' },
        { name: '@p1', value: 'extracted' },
        { name: '@p2', value: "x' OR 1=1 --" },
        { name: '@p3', value: 'INV-1' },
        { name: '@p4', value: true },
      ],
    });
  });

  it('when a bare end date is given, then the range runs to the end of that day on the type’s date field', () => {
    const request = jobRequest({ start_date: '2026-01-01T10:00:00+02:00', end_date: '2026-01-31' });
    expect(jobFilter(request, 'export_tracking')).toEqual({
      where: "c.type = 'stage' AND c.timestamp >= @p0 AND c.timestamp <= @p1",
      parameters: [
        { name: '@p0', value: '2026-01-01T08:00:00.000Z' },
        { name: '@p1', value: '2026-01-31T23:59:59.999Z' },
      ],
    });
  });

  it('when the end is a date-time, then that instant is the bound, in UTC', () => {
    const request = jobRequest({ end_date: '2026-01-31T12:00:00Z' });
    expect(jobFilter(request, 'documents')).toEqual({
      where: 'c.created_at <= @p0',
      parameters: [{ name: '@p0', value: '2026-01-31T12:00:00.000Z' }],
    });
  });

  it('when a field name is not a dotted identifier, then it is refused before it reaches SQL', () => {
    // The schema refuses such names; the filter refuses them again should one be built by hand.
    const request = { ...jobRequest(), filters: { fields: { 'a"] OR 1=1': 1 } } };
    expect(thrownBy(() => jobFilter(request, 'documents'))).toMatchObject({ code: 'invalid_request' });
  });
});

describe('jobRecordsFilter', () => {
  const request = jobRequest({ filters: { document_type: 'invoice' } });

  it('when the owner has no object id, then the job’s filter is used as it is', () => {
    expect(jobRecordsFilter({ request }, 'documents')).toEqual(jobFilter(request, 'documents'));
  });

  it('when the owner has an object id, then records stamped with another id are left out', () => {
    expect(jobRecordsFilter({ request, owner_oid: 'oid-1' }, 'documents')).toEqual({
      where: '(c.document_type = @p0) AND (NOT IS_DEFINED(c.owner_oid) OR c.owner_oid = @owner_oid)',
      parameters: [
        { name: '@p0', value: 'invoice' },
        { name: '@owner_oid', value: 'oid-1' },
      ],
    });
  });
});

describe('recordsAfter', () => {
  const request = jobRequest({ filters: { status: 'extracted' } });

  it('when no batch has run, then the query starts at the first record in id order', () => {
    expect(recordsAfter({ request }, 'documents', null)).toEqual({
      where: 'c.status = @p0',
      parameters: [{ name: '@p0', value: 'extracted' }],
      orderBy: 'c.id ASC',
    });
  });

  it('when a cursor is set, then the query continues after that id', () => {
    expect(recordsAfter({ request }, 'documents', 'doc-0099')).toEqual({
      where: '(c.status = @p0) AND c.id > @cursor',
      parameters: [
        { name: '@p0', value: 'extracted' },
        { name: '@cursor', value: 'doc-0099' },
      ],
      orderBy: 'c.id ASC',
    });
  });

  it('when the owner has an object id and a cursor is set, then both conditions hold', () => {
    expect(recordsAfter({ request, owner_oid: 'oid-1' }, 'documents', 'doc-0099')).toEqual({
      where:
        '((c.status = @p0) AND (NOT IS_DEFINED(c.owner_oid) OR c.owner_oid = @owner_oid)) AND c.id > @cursor',
      parameters: [
        { name: '@p0', value: 'extracted' },
        { name: '@owner_oid', value: 'oid-1' },
        { name: '@cursor', value: 'doc-0099' },
      ],
      orderBy: 'c.id ASC',
    });
  });

  it('when the owner has an object id and no batch has run, then only the owner condition is added', () => {
    expect(recordsAfter({ request, owner_oid: 'oid-1' }, 'documents', null)).toEqual({
      ...jobRecordsFilter({ request, owner_oid: 'oid-1' }, 'documents'),
      orderBy: 'c.id ASC',
    });
  });
});

describe('exportRow', () => {
  const stored = {
    id: 'doc-1',
    document_id: 'doc-1',
    owner_email: 'ann@contoso.com',
    owner_oid: 'oid-1',
    _rid: 'r',
    _self: 's',
    _etag: 'e',
    _attachments: 'a',
    _ts: 1,
    ttl: 60,
    extracted_data: { total: 1 },
  };

  it('when a document is exported, then its row names the type and drops store internals, owner and record id', () => {
    expect(exportRow('documents', stored)).toEqual({
      data_type: 'documents',
      document_id: 'doc-1',
      extracted_data: { total: 1 },
    });
  });

  it('when a tracking record is exported, then its id is kept: it is the only key it has', () => {
    expect(exportRow('export_tracking', { ...stored, type: 'stage' })).toEqual({
      data_type: 'export_tracking',
      id: 'doc-1',
      document_id: 'doc-1',
      extracted_data: { total: 1 },
      type: 'stage',
    });
  });
});
