/**
 * Demo data: Learning Agreements at their main stages — one signed by the three parties, one signed
 * and then changed (the change proposal signed by the student, waiting for the sending
 * coordinator). Taken from the course picker's demo files whose courses the referents approved
 * (waiting at `host-approval`): the office's and the student's steps are validated by system
 * transitions, which build the agreement as they would in real use; then the circuit's own actions
 * complete, sign (the sending coordinator through the link the mail carries) and change it — all in
 * the demo seed's transaction.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import { coreServices, type RegisterApi } from '@smile/sdk';
import { coursePickerService } from '@smile/plugin-course-picker';
import { mailingService } from '@smile/plugin-mailing';
import { mobilityService, type MobilityActor, type MobilityStore } from '@smile/plugin-mobility';
import { LaCircuit } from './circuit.js';
import type { LaDeps } from './store.js';
import type { LaActor, LaSettings, StoredAgreement } from './store-types.js';

/** The sending coordinator every demo home institution has (their address: `erasmus@<home SCHAC code>`). */
const COORDINATOR = { givenNames: 'Zbigniew', familyName: 'Świątek', position: 'Erasmus+ institutional coordinator' };
const HOST_SIGNER = { name: 'Claire Martin', position: 'Head of the international office', email: 'relations.internationales@univ-demo.example' };

const TOKEN = /\/la\/sign\/([A-Za-z0-9_-]{43})/;

interface Demo {
  trx: Knex.Transaction;
  circuit: LaCircuit;
  mobility: MobilityStore;
  institutionId: number;
}

/** Files whose courses the referents approved, waiting for the office, oldest first. */
async function approvedFiles(trx: Knex.Transaction, institutionId: number): Promise<Array<{ id: number; first_name: string; last_name: string; email: string; home_schac: string | null; language: string | null }>> {
  return trx('mobility_files as f')
    .join('course_picker_choices as c', 'c.file_id', 'f.id')
    .where({ 'f.institution_id': institutionId, 'f.current_step': 'host-approval' })
    .whereExists((q) => q.select(trx.raw('1')).from('course_picker_items as i').whereRaw('i.choice_id = c.id'))
    .whereNotExists((q) => q.select(trx.raw('1')).from('course_picker_items as i').whereRaw('i.choice_id = c.id').whereNot('i.decision', 'approved'))
    .orderBy('f.id')
    .select('f.id', 'f.first_name', 'f.last_name', 'f.email', 'f.home_schac', 'f.language');
}

async function agreementOf(d: Demo, fileId: number): Promise<StoredAgreement> {
  const a = await d.circuit.byFile(d.institutionId, fileId, d.trx);
  if (!a) throw new Error(`learning-agreement demo: file ${fileId} has no agreement`);
  return a;
}

/** The signing link's token in the last mail to `to` (queued in the seed's transaction). */
async function mailedToken(trx: Knex.Transaction, to: string): Promise<string> {
  const row = await trx('mail_outbox').where({ recipient: to }).orderBy('id', 'desc').first('body_text');
  const m = TOKEN.exec(row?.body_text ?? '');
  if (!m) throw new Error(`learning-agreement demo: no signing link mailed to ${to}`);
  return m[1]!;
}

/** The three signatures on agreement `id`'s latest version. */
async function signLatest(d: Demo, id: number, who: { student: LaActor; studentEmail: string; coordinatorEmail: string; coordinatorName: string }, parties: Array<'student' | 'sending' | 'receiving'>): Promise<void> {
  for (const party of parties) {
    const a = (await d.circuit.byId(d.institutionId, id, d.trx))!;
    const v = a.versions.at(-1)!;
    const base = { versionNumber: v.number, hash: v.hash, ip: '192.0.2.10' };
    if (party === 'student') {
      await d.circuit.sign(who.student, id, { via: 'person', party }, { ...base, name: who.student.label, email: who.studentEmail });
    } else if (party === 'sending') {
      const token = await mailedToken(d.trx, who.coordinatorEmail);
      await d.circuit.sign({ institutionId: d.institutionId, label: who.coordinatorName }, id, { via: 'link', token },
        { ...base, name: who.coordinatorName, position: COORDINATOR.position, email: who.coordinatorEmail, ip: '198.51.100.7' });
    } else {
      await d.circuit.sign({ institutionId: d.institutionId, label: HOST_SIGNER.name }, id, { via: 'person', party }, { ...base, name: HOST_SIGNER.name, position: HOST_SIGNER.position, email: HOST_SIGNER.email });
    }
  }
}

/** Take a file to `la-generated` and its agreement to fully signed; returns the agreement id. */
async function signedAgreement(d: Demo, f: Awaited<ReturnType<typeof approvedFiles>>[number]): Promise<{ id: number; who: Parameters<typeof signLatest>[2] }> {
  const system: MobilityActor = { institutionId: d.institutionId, label: 'demo', language: 'en' };
  for (const stepKey of ['host-approval', 'student-approval']) {
    await d.mobility.transition(system, f.id, { stepKey, action: 'validate' }, undefined, { system: true, trx: d.trx });
  }
  const a = await agreementOf(d, f.id);
  const student: LaActor = { institutionId: d.institutionId, label: `${f.first_name} ${f.last_name}` };
  const domain = (f.home_schac ?? 'home.example').replace(/[^a-z0-9.-]/gi, '');
  const coordinatorEmail = `erasmus@${domain}`;
  const who = { student, studentEmail: f.email, coordinatorEmail, coordinatorName: `${COORDINATOR.givenNames} ${COORDINATOR.familyName}` };
  const v1 = a.versions.at(-1)!;
  // the student completes what only they know: Table B, their faculty at home, the coordinator, the level
  const recognised = v1.document.tables.studied.map((c, i) => ({
    code: `REC-${i + 1}`, title: `${c.title} (recognised)`, term: c.term, ects: c.ects, automaticRecognition: true,
  }));
  await d.circuit.editFirst(student, a.id, {
    versionNumber: v1.number,
    edit: { recognised, sendingUnit: 'Faculty of Social Sciences', cefrLevel: 'B2', coordinator: { givenNames: COORDINATOR.givenNames, familyName: COORDINATOR.familyName, email: coordinatorEmail, position: COORDINATOR.position } },
  });
  await signLatest(d, a.id, who, ['student', 'sending', 'receiving']);
  return { id: a.id, who };
}

/** An open element of the same term and component not in the agreement, as a substitute. */
async function substitute(d: Demo, fileId: number, present: string[], term: string): Promise<{ code: string; title: string; ects: number } | null> {
  const file = await d.trx('mobility_files').where({ id: fileId }).first('component_id', 'academic_year', 'exchange_type');
  const row = await d.trx('catalogue_elements')
    .where({ institution_id: d.institutionId, year: file.academic_year, component_id: file.component_id, kind: 'EC', open_to_mobility: true, in_source: true, semester: term })
    .whereNotNull('ects').whereNotIn('code', present)
    .where((w) => w.whereNull('exchange_types').orWhereRaw('? = any(exchange_types)', [file.exchange_type]))
    .orderBy('code').first('code', 'title_en', 'title_fr', 'ects');
  return row ? { code: row.code, title: row.title_en ?? row.title_fr, ects: Number(row.ects) } : null;
}

/** Seed the agreements in `trx` (the demo seed's transaction). */
export async function seedDemoAgreements(trx: Knex.Transaction, deps: LaDeps, settingsOf: (i: any) => LaSettings, mobility: MobilityStore, institutionId: number): Promise<void> {
  // the circuit opens a transaction per action: on the seed's transaction these are savepoints
  const d: Demo = { trx, institutionId, mobility, circuit: new LaCircuit({ ...deps, db: { ...deps.db, knex: trx } as never }, settingsOf) };
  const files = await approvedFiles(trx, institutionId);
  if (files.length < 2) return;
  // one fully signed
  await signedAgreement(d, files[0]!);
  // one fully signed, then a change: a course no longer given replaced by another, signed by the student so far
  const { id, who } = await signedAgreement(d, files[1]!);
  const a = (await d.circuit.byId(institutionId, id, trx))!;
  const v = a.versions.at(-1)!;
  const gone = v.document.tables.studied[0]!;
  const termCode = `S${gone.term.number}`;
  const other = await substitute(d, files[1]!.id, v.document.tables.studied.map((c) => c.code ?? ''), termCode);
  await d.circuit.proposeChange(who.student, id, {
    versionNumber: v.number,
    items: [
      { table: 'studied', change: 'deleted', reason: 'not-available', component: { ...gone } },
      ...(other ? [{ table: 'studied' as const, change: 'added' as const, reason: 'substituting-deleted' as const, component: { code: other.code, title: other.title, term: gone.term, ects: other.ects } }] : []),
    ],
  });
  await signLatest(d, id, who, ['student']);
}

/** Demo agreements (`smile start --demo`, `smile seed demo`), after the course picker's demo choices. */
export function registerDemo(r: RegisterApi<any>): void {
  const deps = {
    db: r.deferred(coreServices.database), audit: r.deferred(coreServices.audit), events: r.deferred(coreServices.events),
    mailing: r.deferred(mailingService), config: r.deferred(coreServices.config), log: r.deferred(coreServices.logger),
    coursePicker: r.deferred(coursePickerService),
  };
  const mobility = r.deferred(mobilityService);
  r.hooks.seedDemo.tap(async (ctx) => {
    if (ctx.size !== 'demo') return;
    const resolved: LaDeps = {
      db: deps.db(), audit: deps.audit(), events: deps.events(), mailing: deps.mailing(), config: deps.config(), log: deps.log(),
      coursePicker: deps.coursePicker(),
    };
    const run = (trx: Knex.Transaction) => seedDemoAgreements(trx, resolved, (i) => r.settingsFor(i) as LaSettings, mobility(), ctx.institution.id);
    const knex = ctx.db.knex as Knex.Transaction;
    if (!knex.isTransaction) await (ctx.db.knex as Knex).transaction(run);
    else await run(knex);
  });
}
