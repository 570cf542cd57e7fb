package dev.checkpoint.autoconfigure.kinesis;

import dev.checkpoint.kinesis.Retrieval;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code checkpoint.kinesis.retrieval} is {@code fan-out}, however it is spelled. */
final class OnFanOutRetrieval extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Retrieval retrieval = Binder.get(context.getEnvironment()).bind("checkpoint.kinesis.retrieval", Retrieval.class)
                .orElse(Retrieval.POLLING);
        return retrieval == Retrieval.FAN_OUT ? ConditionOutcome.match("checkpoint.kinesis.retrieval is fan-out")
                : ConditionOutcome.noMatch("checkpoint.kinesis.retrieval is " + retrieval.name().toLowerCase());
    }
}
