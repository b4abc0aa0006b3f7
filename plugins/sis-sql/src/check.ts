/**
 * `smile sis-sql check`: connect to the source and say, view by view, how many rows it holds and
 * which columns it has, so that IT teams can set the views up before the first sync.
 * @packageDocumentation
 */
import { coreServices } from '@smile/sdk';
import type { Institution, RegisterApi } from '@smile/sdk';
import { catalogueService, yearLabel } from '@smile/plugin-catalogue';
import { describeSource, type ConfiguredSettings } from './reader.js';
import type { SisSqlSettings } from './settings.js';

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s.padEnd(n));

export function registerCheck(r: RegisterApi<SisSqlSettings>) {
  r.command({
    name: 'sis-sql check',
    description: 'Connect to the SQL source and print the rows and columns of each view',
    options: {
      institution: { type: 'string', description: 'Institution code (default: every institution where the connector has a connection)' },
      year: { type: 'string', description: 'Academic year to count (2026 for 2026–2027; default: the current one)' },
    },
    async run({ options }, ctx) {
      const all = await ctx.resolve(coreServices.institutions).all();
      let targets: Institution[];
      if (typeof options.institution === 'string') {
        const inst = all.find((i) => i.code === options.institution);
        if (!inst) {
          ctx.print(`no institution "${options.institution}" (known: ${all.map((i) => i.code).join(', ') || 'none'})`);
          return 2;
        }
        targets = [inst];
      } else targets = all.filter((i) => r.settingsFor(i).connection);
      if (targets.length === 0) {
        ctx.print('the sis-sql connector has no connection: set plugins.settings["sis-sql"].connection in smile.config.json (see plugins/sis-sql/README.md)');
        return 1;
      }
      const year = typeof options.year === 'string' ? Number(options.year) : ctx.resolve(catalogueService).currentYear();
      if (!Number.isInteger(year) || year < 1900 || year > 2999) {
        ctx.print(`--year: an academic year such as 2026, not "${options.year}"`);
        return 2;
      }
      let failed = false;
      for (const inst of targets) {
        const settings = r.settingsFor(inst);
        ctx.print(`${inst.code}: ${settings.client} source${settings.schema ? `, schema ${settings.schema}` : ''}, academic year ${yearLabel(year)}`);
        if (!settings.connection) {
          ctx.print('  no connection set for this institution');
          failed = true;
          continue;
        }
        try {
          const { views, canWrite } = await describeSource(settings as ConfiguredSettings, year);
          for (const v of views) {
            if (!v.exists) {
              ctx.print(`  ${pad(v.name, 28)} MISSING: the view does not exist, or the connection's user cannot read it`);
              failed = true;
              continue;
            }
            const ofYear = v.rowsOfYear === undefined ? ' (no academic_year column: every row is read)' : `, ${v.rowsOfYear} in ${yearLabel(year)}`;
            ctx.print(`  ${pad(v.name, 28)} ${v.rows} rows${ofYear}`);
            ctx.print(`    columns read: ${v.recognised.join(', ')}`);
            if (v.missing.length) {
              ctx.print(`    MISSING required columns: ${v.missing.join(', ')}`);
              failed = true;
            }
            if (v.ignored.length) ctx.print(`    ignored (not in the documented shape): ${v.ignored.join(', ')}`);
          }
          if (canWrite) ctx.print('  warning: the connection\'s user is a superuser; give the connector a user that can only read the views');
        } catch (e) {
          ctx.print(`  ${(e as Error).message}`);
          failed = true;
        }
      }
      return failed ? 1 : 0;
    },
  });
}
