export type SystemInformation = typeof import("systeminformation");

let loading: Promise<SystemInformation> | undefined;

/**
 * The systeminformation library, loaded on first use only: it is large, and AstrOS starts for
 * every command, most of which never ask about the hardware.
 */
export function loadSystemInformation(): Promise<SystemInformation> {
  loading ??= import("systeminformation").then((module) => module.default);
  return loading;
}
