// The definition of a procedure's form: what a procedure_admin designs, what a revision freezes, what
// collectivités exchange as JSON. Field `type` identifiers are part of the public contract (API, export).

export const FIELD_TYPES = [
  'text',
  'textarea',
  'integer',
  'decimal',
  'date',
  'datetime',
  'email',
  'phone',
  'yes_no',
  'checkbox',
  'choice',
  'multiple_choice',
  'dropdown',
  'commune',
  'epci',
  'departement',
  'address',
  'siret',
  'iban',
  'file',
  'section',
  'explanation',
  'repetition',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Types that display something but collect no answer. */
export const DISPLAY_ONLY: FieldType[] = ['section', 'explanation'];

export interface ChoiceOption {
  value: string;
  label: string;
}

/**
 * A condition over other answers (by key), combined with all (and) / any (or), nested at will.
 * `equals`/`not_equals` compare with the answer (for multiple_choice: contains / does not contain);
 * `filled`/`empty` test presence; `gt`/`lt` compare numbers or ISO dates.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { field: string; op: 'equals' | 'not_equals' | 'gt' | 'lt'; value: string | number | boolean }
  | { field: string; op: 'filled' | 'empty' };

export interface FieldDefinition {
  /** Stable identifier of the answer in dossier data: [a-z][a-z0-9_]{0,62}. */
  key: string;
  label: string;
  type: FieldType;
  required?: boolean;
  hint?: string;
  /** choice, multiple_choice, dropdown: strings (value = label) or {value, label}. */
  options?: Array<string | ChoiceOption>;
  /** integer, decimal: bounds; date/datetime: ISO bounds. */
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  /** A JavaScript-compatible regular expression the text must match entirely. */
  pattern?: string;
  /** Shown (and answered) only when this holds; hidden answers are dropped. */
  visibleIf?: Condition;
  /** Required only when this holds (on top of `required`). */
  requiredIf?: Condition;
  /** repetition: the fields of one repeated block; min/max = number of blocks. */
  fields?: FieldDefinition[];
  /** file: allowed MIME types (checked on content) and max size in bytes. */
  accept?: string[];
  maxBytes?: number;
}

export interface ProcedureDefinition {
  title: string;
  description?: string;
  fields: FieldDefinition[];
}

export function optionsOf(field: FieldDefinition): ChoiceOption[] {
  return (field.options ?? []).map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
}
