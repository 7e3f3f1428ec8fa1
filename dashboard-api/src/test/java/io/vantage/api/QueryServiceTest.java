package io.vantage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryServiceTest {
    @Test
    void theFirstRowsOfAnOrderAreThoseOfTheWholeSortForEverySize() {
        Random random = new Random(7);
        // Few distinct counts, so that ties reach the last key as in a real breakdown.
        Comparator<int[]> order = Comparator.<int[]>comparingInt(r -> -r[0]).thenComparingInt(r -> r[1]);
        for (int size : new int[] {0, 1, 3, 10, 41, 500, 5_000}) {
            List<int[]> rows = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                rows.add(new int[] {random.nextInt(20), i});
            }
            java.util.Collections.shuffle(rows, random);
            List<int[]> sorted = new ArrayList<>(rows);
            sorted.sort(order);
            for (long n : new long[] {0, 1, 10, 11, size / 4 + 1, size, size + 5}) {
                List<int[]> first = QueryService.first(rows, order, n);
                List<int[]> expected = sorted.subList(0, (int) Math.min(n, size));
                assertEquals(expected.size(), first.size(), "size " + size + ", n " + n);
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i)[1], first.get(i)[1], "row " + i + " of size " + size + ", n " + n);
                }
            }
        }
    }
}
