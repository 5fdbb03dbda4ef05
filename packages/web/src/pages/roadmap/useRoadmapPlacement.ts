import type { RoadmapPlacement } from '@meshboard/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';

/**
 * Places an item on the roadmap with If-Match on its entry version (the server answers 412 when someone
 * moved it meanwhile), then refreshes the product's board, timeline and releases.
 */
export function useRoadmapPlacement(productId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, version, placement }: { itemId: string; version: number; placement: RoadmapPlacement }) => api.call('PUT /api/backlog-items/{id}/roadmap', { path: { id: itemId }, body: placement }, { ifMatch: `"v${version}"` }),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['roadmap', productId] });
      await queryClient.invalidateQueries({ queryKey: ['releases'] });
    },
  });
}
