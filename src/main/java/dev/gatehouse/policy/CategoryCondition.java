package dev.gatehouse.policy;

import dev.gatehouse.policy.category.CategorySet;
import java.util.List;

/**
 * Matches when the request's categories intersect the given set ({@code category}) or contain
 * all of it ({@code categoryAll}).
 *
 * @param names the category names as written, for explain
 * @param set their ids
 * @param all true for {@code categoryAll}
 */
public record CategoryCondition(List<String> names, CategorySet set, boolean all) implements Condition {

    public CategoryCondition {
        names = List.copyOf(names);
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        CategorySet categories = evaluation.categories();
        return Outcome.of(all ? categories.containsAll(set) : categories.intersects(set));
    }

    @Override
    public String describe() {
        return (all ? "categoryAll " : "category ") + names;
    }
}
