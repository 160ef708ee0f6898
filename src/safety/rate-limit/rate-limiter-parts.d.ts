// rate-limiter-flexible's index loads every store it supports (MySQL, Mongo, Dynamo, ...), about 20 ms
// at each start; AstrOS needs two of them, so it imports their modules directly. Same classes, same types.
declare module "rate-limiter-flexible/lib/RateLimiterMemory.js" {
  const RateLimiterMemory: typeof import("rate-limiter-flexible").RateLimiterMemory;
  export default RateLimiterMemory;
}
declare module "rate-limiter-flexible/lib/RateLimiterRedis.js" {
  const RateLimiterRedis: typeof import("rate-limiter-flexible").RateLimiterRedis;
  export default RateLimiterRedis;
}
declare module "rate-limiter-flexible/lib/RateLimiterRes.js" {
  const RateLimiterRes: typeof import("rate-limiter-flexible").RateLimiterRes;
  export default RateLimiterRes;
}
