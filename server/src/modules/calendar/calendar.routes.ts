import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// Filled in by the calendar work (see calendar.service.ts).
export const calendarRoutes: FastifyPluginAsyncZod = async () => {};
