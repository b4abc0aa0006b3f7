/**
 * @smile/sdk — the one package plugin and theme authors import.
 * @packageDocumentation
 */
export { z } from 'zod';
export { SmileError, ErrorCodes } from './errors.js';
export { createServiceRef } from './refs.js';
export type { ServiceRef, ResolvedDeps } from './refs.js';
export { manifestSchema, PLUGIN_ID } from './manifest.js';
export type { PluginManifest } from './manifest.js';
export { coreServices } from './services.js';
export type {
  Logger, Institution, TenantDb, Database, JobQueue, EnqueueOptions, EventBus, OutgoingMail, Mailer, InstanceConfig,
  PluginInfo, InstitutionPatch, PlatformAdmin, InstitutionDirectory, PermissionInfo, Permissions,
} from './services.js';
export type {
  Person, SignInIdentity, SignInResult, AuditActor, AuditEntry, AuditLog, RoleInfo, RoleAssignment, RuleCondition, RoleRule, Identity, Roles, KeyValueStore,
} from './identity.js';
export { principalCan, principalScope } from './access.js';
export { formField, formFields, formFile, safeReturnPath, seeOther } from './forms.js';
export { publicOrigin } from './links.js';
export { createCoreHooks, HookStage, defineHooks } from './hooks.js';
export type {
  CoreHooks, TapOnly, TapOnlyHooks, TapOptions, HookSetRef, HomeSection, HomeContext, ResolveInstitutionInput,
  OpenApiDocument, SeedContext, SentMail, SignInEvent, PrincipalRequest, NavItem, LayoutParts, LayoutContext,
} from './hooks.js';
export { definePlugin, defineTheme, isSmilePlugin } from './plugin.js';
export type {
  Bilingual, PermissionDefinition, Principal, RequestContext, RouteAccess, PageRoute, ApiRoute, JobDefinition, JobContext,
  SubscriberDefinition, CommandDefinition, CommandContext, ProviderDefinition, RegisterApi, BootstrapContext,
  PluginDefinition, SmilePlugin, SmileTheme, ThemeDefinition, Session, Flash, UploadedFile,
} from './plugin.js';
export { secret, isSecret, secretKeys, redactSettings } from './settings.js';
export { EVENT_NAME, PERMISSION_NAME } from './names.js';
export { defineTable, parseTableState, tableUrl, tableParams, filterParamNames, isFiltered, isTableRegionRequest, renderTable } from './table.js';
export type { TableColumn, TableColumnType, TableFilter, TableFilterOption, TableSpecInput, TableSpec, TableState, TableChanges, RenderTableOptions } from './table.js';
export { applyTable, escapeLike, TABLE_ALIAS } from './table-query.js';
export type { TableResult } from './table-query.js';
export { buildTableView, formatCell, pageWindow } from './table-view.js';
export type { TableView, TableViewOptions, TableViewHeader, TableViewCell, TableViewFilter, TableViewPage } from './table-view.js';
export { readCsv, decode as decodeCsv, detectDelimiter, splitRecords } from './csv.js';
export type { CsvTable, CsvRecord, CsvProblem, CsvEncoding, CsvDelimiter } from './csv.js';
