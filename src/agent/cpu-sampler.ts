/** CPU use of this process between samples, as percent of one core. */
export class CpuSampler {
  #lastUsage = process.cpuUsage();
  #lastTime = process.hrtime.bigint();

  sample(): number {
    const usage = process.cpuUsage(this.#lastUsage);
    const now = process.hrtime.bigint();
    const elapsedMicroseconds = Number(now - this.#lastTime) / 1000;
    this.#lastUsage = process.cpuUsage();
    this.#lastTime = now;
    if (elapsedMicroseconds <= 0) return 0;
    return Math.round(((usage.user + usage.system) / elapsedMicroseconds) * 1000) / 10;
  }
}
