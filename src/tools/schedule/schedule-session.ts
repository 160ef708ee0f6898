const prefix = "schedule-";

/** The session a schedule's runs belong to: its reminders' events and its requests carry it. */
export function scheduleSessionId(scheduleId: string): string {
  return `${prefix}${scheduleId}`;
}

/** The schedule a session id belongs to, or undefined for any other session. */
export function scheduleIdOfSession(sessionId: string): string | undefined {
  return sessionId.startsWith(prefix) && sessionId.length > prefix.length ? sessionId.slice(prefix.length) : undefined;
}
