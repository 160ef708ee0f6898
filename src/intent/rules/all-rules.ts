import type { IntentRule } from "../rule-input.js";
import { archiveCreateRule, archiveExtractRule, archiveListRule } from "./archive-rules.js";
import { greetingRule, helpRule, undoRule } from "./conversation-rules.js";
import { appendLineRule, copyAsRule } from "./copy-and-append-rules.js";
import { emptyFileRule, makeFolderRule, severalFoldersRule, writeFollowingRule } from "./create-file-rules.js";
import { deleteRule, organizeRule } from "./delete-rules.js";
import { copyRule, mkdirRule, moveRule, renameRule, writeRule } from "./file-changing-rules.js";
import { diskUsageRule, duplicatesRule, listRule, readRule, searchRule } from "./file-reading-rules.js";
import { namedFilesRule } from "./named-files-rules.js";
import { forgetRule, recallRule, rememberRule } from "./notes-rules.js";
import { permissionRule } from "./permission-rules.js";
import { findPortRule, killRule, processListRule } from "./process-rules.js";
import { scheduleCancelRule, scheduleCreateRule, scheduleListRule } from "./schedule-rules.js";
import { shellRule } from "./shell-rules.js";
import { openRule, systemInfoRule } from "./system-rules.js";
import { textCommandRule } from "./text-command-rules.js";
import { checksumRule, countRule, fileInfoRule, headTailRule, readmeRule } from "./text-rules.js";
import { trashRule } from "./trash-rules.js";

/**
 * The builtin grammar, most specific first: when two rules are equally sure, the earlier wins.
 * Reminders and notes come before file rules ("remind me to delete old.log" is a reminder).
 */
export const builtinRules: readonly IntentRule[] = [
  greetingRule,
  helpRule,
  undoRule,
  trashRule,
  scheduleCreateRule,
  scheduleListRule,
  scheduleCancelRule,
  forgetRule,
  recallRule,
  rememberRule,
  shellRule,
  archiveListRule,
  archiveExtractRule,
  archiveCreateRule,
  permissionRule,
  textCommandRule,
  findPortRule,
  killRule,
  processListRule,
  headTailRule,
  countRule,
  checksumRule,
  fileInfoRule,
  readmeRule,
  duplicatesRule,
  diskUsageRule,
  systemInfoRule,
  appendLineRule,
  namedFilesRule,
  copyAsRule,
  severalFoldersRule,
  makeFolderRule,
  emptyFileRule,
  writeFollowingRule,
  mkdirRule,
  writeRule,
  renameRule,
  copyRule,
  moveRule,
  deleteRule,
  organizeRule,
  readRule,
  listRule,
  openRule,
  searchRule,
];
