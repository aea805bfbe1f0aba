import type { FastifyPluginAsync } from 'fastify';

/** Open311 GeoReport v2 at /open311/v2/ (registered outside /api). */
export const open311Routes: FastifyPluginAsync = async () => {};
