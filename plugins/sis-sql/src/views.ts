/**
 * The documented view shape (README.md): for each view, its columns, how each value is read,
 * and which catalogue field it fills. A column the view does not have leaves that field as it is.
 * @packageDocumentation
 */
import type { RowError } from '@smile/plugin-catalogue';
import type { SisSqlSettings } from './settings.js';

/** How a column's value is read (values.ts). */
export type ValueType = 'code' | 'text' | 'number' | 'integer' | 'boolean' | 'languages' | 'list' | 'codes' | 'semester' | 'timetable' | 'contacts' | 'isced';

export interface ColumnSpec {
  /** Column name in the view (lower case; matched without regard to case). */
  column: string;
  /** Field of the catalogue record it fills (`diplomaTypeName.fr` for a nested one). */
  field: string;
  type: ValueType;
  /** The view is refused without it. */
  required?: boolean;
}

export type ViewKey = 'components' | 'formations' | 'elements' | 'links';

export interface ViewSpec {
  key: ViewKey;
  /** Entity named in row errors. */
  entity: RowError['entity'];
  /** Setting that names the view. */
  setting: 'componentsView' | 'formationsView' | 'elementsView' | 'linksView';
  /** Columns the rows are read in order of (those the view has). */
  order: string[];
  columns: ColumnSpec[];
}

/** Optional in every view: rows of other academic years are left out when it is present. */
export const YEAR_COLUMN = 'academic_year';

const c = (column: string, field: string, type: ValueType, required = false): ColumnSpec => ({ column, field, type, required });

/** The four views, in the order they are read. */
export const VIEWS: readonly ViewSpec[] = [
  {
    key: 'components', entity: 'component', setting: 'componentsView', order: ['code'],
    columns: [
      c('code', 'code', 'code', true), c('name_fr', 'nameFr', 'text', true), c('name_en', 'nameEn', 'text'),
      c('name_long_fr', 'nameLongFr', 'text'), c('name_long_en', 'nameLongEn', 'text'), c('acronym', 'acronym', 'text'),
      c('campus', 'campus', 'text'), c('contacts', 'contacts', 'contacts'),
    ],
  },
  {
    key: 'formations', entity: 'formation', setting: 'formationsView', order: ['code'],
    columns: [
      c('code', 'code', 'code', true), c('name_fr', 'nameFr', 'text', true), c('name_en', 'nameEn', 'text'), c('acronym', 'acronym', 'text'),
      c('component_code', 'componentCode', 'code'), c('diploma_type', 'diplomaType', 'code'),
      c('diploma_type_name_fr', 'diplomaTypeName.fr', 'text'), c('diploma_type_name_en', 'diplomaTypeName.en', 'text'),
      c('formation_type', 'formationType', 'code'), c('formation_type_name_fr', 'formationTypeName.fr', 'text'),
      c('formation_type_name_en', 'formationTypeName.en', 'text'), c('level', 'level', 'integer'), c('domain', 'domain', 'text'),
      c('isced', 'isced', 'isced'), c('eqf', 'eqf', 'integer'), c('languages', 'languages', 'languages'),
      c('open_to_mobility', 'openToMobility', 'boolean'),
    ],
  },
  {
    key: 'elements', entity: 'element', setting: 'elementsView', order: ['code'],
    columns: [
      c('code', 'code', 'code', true), c('title_fr', 'titleFr', 'text', true), c('kind', 'kind', 'text'), c('title_en', 'titleEn', 'text'),
      c('description_fr', 'descriptionFr', 'text'), c('description_en', 'descriptionEn', 'text'),
      c('objectives_fr', 'objectivesFr', 'text'), c('objectives_en', 'objectivesEn', 'text'),
      c('outcomes_fr', 'outcomesFr', 'text'), c('outcomes_en', 'outcomesEn', 'text'),
      c('ects', 'ects', 'number'), c('mobility_ects', 'mobilityEcts', 'number'), c('semester', 'semester', 'semester'),
      c('level', 'level', 'integer'), c('languages', 'languages', 'languages'), c('campus', 'campus', 'text'), c('isced', 'isced', 'isced'),
      c('competences', 'competences', 'list'), c('prerequisites_fr', 'prerequisitesFr', 'text'), c('prerequisites_en', 'prerequisitesEn', 'text'),
      c('seats', 'seats', 'integer'), c('exchange_types', 'exchangeTypes', 'codes'), c('open_to_mobility', 'openToMobility', 'boolean'),
      c('hours', 'hours', 'number'), c('timetable', 'timetable', 'timetable'), c('component_code', 'componentCode', 'code'),
    ],
  },
  {
    key: 'links', entity: 'link', setting: 'linksView', order: ['formation_code', 'parent_code', 'position', 'child_code'],
    columns: [
      c('formation_code', 'formationCode', 'code', true), c('child_code', 'childCode', 'code', true),
      c('parent_code', 'parentCode', 'code'), c('position', 'position', 'integer'),
    ],
  },
];

/** The view name a setting gives (`null`: the source does not expose that part). */
export const viewName = (settings: SisSqlSettings, spec: ViewSpec): string | null => settings[spec.setting];

/** `schema.view` for messages. */
export const qualified = (settings: SisSqlSettings, name: string) => (settings.schema ? `${settings.schema}.${name}` : name);
