import { integrationEvent, type MessagePublisher } from '@simple-securities/event-sourcing';
import { type PriceTick, priceTickedData } from '../../domain/price-tick.js';

/**
 * Puts what a price feed saw on the bus as `PriceTicked` integration events,
 * keyed by symbol so that each symbol's ticks reach consumers in order.
 */
export const publishPriceTicks =
  (deps: { publisher: MessagePublisher; source: string; eventType: string }) =>
  async (ticks: readonly PriceTick[]): Promise<void> => {
    if (ticks.length === 0) return;
    await deps.publisher.publish(
      ticks.map((tick) =>
        integrationEvent({
          type: deps.eventType,
          source: deps.source,
          subject: tick.symbol,
          time: tick.time,
          data: priceTickedData(tick),
        }),
      ),
    );
  };
