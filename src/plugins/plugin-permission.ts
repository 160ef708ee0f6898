/**
 * Permissions a plugin or handler can declare. Plugins may declare others;
 * these are the ones AstrOS's own tools use and the policy knows.
 */
export const knownPermissions = ["file_system", "network", "system_control", "process", "shell", "notifications", "ai"] as const;

export type KnownPermission = (typeof knownPermissions)[number];

/** A permission name: one of the known ones or a plugin-defined `lower_snake` name. */
export type PluginPermission = KnownPermission | (string & {});

export const permissionNamePattern = /^[a-z][a-z0-9_.:-]*$/;
