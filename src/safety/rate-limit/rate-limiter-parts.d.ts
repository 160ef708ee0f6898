// rate-limiter-flexible's index loads every store it supports (MySQL, Mongo, Dynamo, ...), about 20 ms
// at each start; AstrOS needs four of them (memory, Redis, SQLite, PostgreSQL: small files that load no
// driver), so it imports their modules directly. Same classes, same types.
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
declare module "rate-limiter-flexible/lib/RateLimiterSQLite.js" {
  const RateLimiterSQLite: typeof import("rate-limiter-flexible").RateLimiterSQLite;
  export default RateLimiterSQLite;
}
declare module "rate-limiter-flexible/lib/RateLimiterPostgres.js" {
  const RateLimiterPostgres: typeof import("rate-limiter-flexible").RateLimiterPostgres;
  export default RateLimiterPostgres;
}
