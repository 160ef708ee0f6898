import type { AstrOSConfig } from "../config/config-schema.js";
import type { XdgPaths } from "../config/xdg-paths.js";
import { astrosStatePlaces } from "./effect-policy/astros-state.js";
import { SafetyGuard } from "./safety-guard.js";

export interface AstrOSSafetyGuardOptions {
  config: AstrOSConfig;
  xdgPaths: XdgPaths;
  /** Where the journal is, when not the default. */
  journalDirectory?: string;
  /** Where deletes go, when not the default. */
  trashDirectory?: string;
}

/**
 * The safety guard of an AstrOS with this configuration: its allowed roots, its own folders (configuration, data,
 * state) and the state the effect policy protects. The one construction every door shares (the agent's pipeline and
 * `astros guard`), so a command is judged the same wherever it is asked about.
 */
export function createAstrOSSafetyGuard(options: AstrOSSafetyGuardOptions): SafetyGuard {
  const { config, xdgPaths } = options;
  return new SafetyGuard({
    config: config.safety,
    ownDirectories: [xdgPaths.configDirectory, xdgPaths.dataDirectory, xdgPaths.stateDirectory],
    hiddenFromConfined: [config.server.workspaces],
    state: astrosStatePlaces({
      xdgPaths,
      config,
      ...(options.journalDirectory === undefined ? {} : { journalDirectory: options.journalDirectory }),
      ...(options.trashDirectory === undefined ? {} : { trashDirectory: options.trashDirectory }),
    }),
  });
}
