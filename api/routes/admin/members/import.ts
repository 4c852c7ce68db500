import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { importMembersCsv, MEMBER_CSV_COLUMNS } from '../../../../activities/storage/members';

/** Imports members from CSV; every row is checked first and nothing is written if one is wrong. */
export default defineRoute({
  name: 'members.import',
  method: 'post',
  path: '/admin/members/import',
  summary: 'Import members from CSV',
  description:
    `Send \`Content-Type: text/csv\` with a header row: ${MEMBER_CSV_COLUMNS.join(', ')} (office and id optional; ` +
    'office is an office id or a city of the member’s country; `,` or `;` separated). A wrong row answers 400 ' +
    'with `fields` such as `rows.7.email` (the line number in the file) and nothing is imported. Addresses ' +
    'already registered count as `existing`, so an interrupted import can simply be sent again.',
  tag: 'members',
  access: { roles: ['staff'] },
  body: z.string().min(1).openapi({ example: 'name,email,language,country,office\nAn Peeters,an@example.org,nl,BE,brussels\n' }),
  bodyType: 'text/csv',
  response: {
    status: 200,
    description: 'What was imported',
    schema: z.object({ rows: z.number(), created: z.number(), existing: z.number() }).openapi('MemberImportReport'),
  },
  errors: [409],
  audit: 'member.import',
  handle: async ({ body, deps, log, audit }) => {
    const started = Date.now();
    const report = await importMembersCsv(deps.models, body, (p) => {
      if (p.total >= 5000) log.info({ stage: p.stage, done: p.done, total: p.total }, 'member import progress');
    });
    log.info({ rows: report.rows, created: report.created, existing: report.existing, ms: Date.now() - started }, 'member import done');
    audit.details = { rows: report.rows, created: report.created, existing: report.existing };
    return { rows: report.rows, created: report.created, existing: report.existing };
  },
});
