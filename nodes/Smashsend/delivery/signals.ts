/**
 * Hands out child signals that all abort when a parent does, with one listener on each
 * parent whatever the number of children. Hundreds of concurrent waits and calls would
 * otherwise each add a listener to n8n's cancel signal, and Node warns about a possible
 * leak past ten.
 */
export class SignalFanOut {
	private readonly children = new Set<AbortController>();
	private aborted = false;
	private readonly detach: Array<() => void> = [];

	constructor(parents: Array<AbortSignal | undefined>) {
		const abortAll = () => {
			this.aborted = true;
			for (const child of this.children) child.abort();
			this.children.clear();
		};
		for (const parent of parents) {
			if (!parent) continue;
			if (parent.aborted) this.aborted = true;
			else {
				parent.addEventListener('abort', abortAll, { once: true });
				this.detach.push(() => parent.removeEventListener('abort', abortAll));
			}
		}
	}

	/** Stops listening to the parents: n8n's cancel signal lives as long as the execution. */
	dispose(): void {
		for (const remove of this.detach.splice(0)) remove();
		this.children.clear();
	}

	/** A signal for one wait or one call; release it when that is over. */
	child(): { signal: AbortSignal; release: () => void } {
		const controller = new AbortController();
		if (this.aborted) controller.abort();
		else this.children.add(controller);
		return { signal: controller.signal, release: () => this.children.delete(controller) };
	}
}
