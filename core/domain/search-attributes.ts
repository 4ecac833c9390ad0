// Custom search attributes. They are stored unencrypted: IDs and enums only, never names.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const KimCaseId = defineSearchAttributeKey('KimCaseId', SearchAttributeType.KEYWORD);
export const KimKind = defineSearchAttributeKey('KimKind', SearchAttributeType.KEYWORD); // "case" | chain type
export const KimStatus = defineSearchAttributeKey('KimStatus', SearchAttributeType.KEYWORD);
export const KimDepartment = defineSearchAttributeKey('KimDepartment', SearchAttributeType.KEYWORD);
export const KimStep = defineSearchAttributeKey('KimStep', SearchAttributeType.KEYWORD);
export const KimOverdue = defineSearchAttributeKey('KimOverdue', SearchAttributeType.BOOL);

/** name → type, for registering them at server start */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Bool'> = {
  KimCaseId: 'Keyword',
  KimKind: 'Keyword',
  KimStatus: 'Keyword',
  KimDepartment: 'Keyword',
  KimStep: 'Keyword',
  KimOverdue: 'Bool',
};
