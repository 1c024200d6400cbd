// Reading a parsed form, query or path by name: core/http/form-values.ts, under the names funding's routes use.
export { formValues, firstValue as one } from '../../../../core/http/form-values.ts';
