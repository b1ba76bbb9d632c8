export * from './validation/field-error';
