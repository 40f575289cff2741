package dev.supervision.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import java.util.Objects;

/**
 * The Hazelcast configuration of this module's own data structures, to add to a member's {@link
 * Config} before the member starts.
 *
 * {@snippet :
 * Config config = ClusterConfig.apply(new Config(), ClusterOptions.DEFAULTS.withMinimumSize(2));
 * }
 *
 * <table>
 *   <caption>What it sets</caption>
 *   <tr><th>structure</th><th>setting</th></tr>
 *   <tr><td>the names map ({@link ClusterRegistry})</td><td>split-brain protection {@value
 *   #SPLIT_BRAIN_PROTECTION} on writes, at {@link ClusterOptions#minimumSize()} members (only when
 *   it is above 1): a write on a side that Hazelcast sees below it fails, which the registry reports
 *   as {@link NoQuorumException}, so the member count the registry checks and the one the partition
 *   owner checks cannot disagree. Reads stay allowed.</td></tr>
 *   <tr><td>the names map, after a partition heals</td><td>merge policy {@code PutIfAbsent}: the
 *   entries of the side that merges in are added only where the other side has none. The registry
 *   then settles names held on both sides by its own rule (the earlier registration keeps the name,
 *   the other holder exits with {@link NameConflict}), which needs no help from the merge.</td></tr>
 * </table>
 *
 * <p>Without it the module works the same, but only the registry's own member count guards
 * registration. A configuration that already has a map or split-brain protection config of the same
 * name keeps it.
 */
public final class ClusterConfig {

  /** Name of the split-brain protection of the module's maps. */
  public static final String SPLIT_BRAIN_PROTECTION = "supervision-minimum-size";

  private ClusterConfig() {}

  /**
   * Adds the configuration of this module's data structures for {@code options} to {@code config}.
   *
   * @return {@code config}
   */
  public static Config apply(Config config, ClusterOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    if (config.getMapConfigs().containsKey(ClusterRegistry.MAP)) {
      return config;
    }
    MapConfig names =
        new MapConfig(ClusterRegistry.MAP)
            .setMergePolicyConfig(
                new MergePolicyConfig(
                    PutIfAbsentMergePolicy.class.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE));
    if (options.minimumSize() > 1) {
      if (!config.getSplitBrainProtectionConfigs().containsKey(SPLIT_BRAIN_PROTECTION)) {
        config.addSplitBrainProtectionConfig(
            new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true, options.minimumSize())
                .setProtectOn(SplitBrainProtectionOn.WRITE));
      }
      names.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
    }
    return config.addMapConfig(names);
  }
}
