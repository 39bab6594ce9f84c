export { checkManifests, CheckOptions, DEFAULT_IGNORED_NAMESPACES } from './check';
export { CHECK_RULES, CheckReport, CheckRule, CheckRuleId, Finding, ruleById, Severity } from './rules';
