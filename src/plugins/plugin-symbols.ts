/**
 * Registry-wide symbols (Symbol.for) so that a plugin built against another copy of the SDK
 * is still recognised by the host: brand checks never rely on `instanceof`.
 */
export const pluginBrand = Symbol.for("astros.plugin.brand");
export const handlerMetadataKey = Symbol.for("astros.plugin.handler-metadata");
export const attachServicesKey = Symbol.for("astros.plugin.attach-services");
export const pluginDefinitionBrand = Symbol.for("astros.plugin.definition");
