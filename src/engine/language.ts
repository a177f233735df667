/**
 * The rule language as data, for the generated reference (docs/rule-language.md): what a rule may
 * iterate, read, call and require, from the code that defines each. src/docs may not import the
 * fact model itself (DESIGN.md's layout), so the engine, which compiles rules against it, hands it on.
 */
export { configTypes, fieldDescription, fieldDetails, fieldType, indexTypes, snapshotModel, type FieldSpec } from '../facts/model.js';
export { facts } from '../facts/ids.js';
export { collections } from './collections.js';
export { celTypeOfValue, helperFunctions, helperSignature } from './cel.js';
