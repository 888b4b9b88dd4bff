package plaza.recommend.model;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanReadingFormFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;

/**
 * Korean words of a product or recipe text: Lucene's Nori tokenizer (morphology, compounds split into their
 * parts as well as kept whole), particles and endings dropped, lower case, and grocery synonyms folded onto
 * one word each ({@link #SYNONYMS}: 파 → 대파, 달걀 → 계란, 돈육 → 돼지고기), so "달걀" and "계란" match.
 */
public final class KoreanText {

    /** Each line: the word every other word of the line is read as. Grocery names shoppers and sellers mix. */
    static final List<List<String>> SYNONYMS = List.of(
            List.of("대파", "파", "쪽파"),
            List.of("계란", "달걀", "란"),
            List.of("돼지고기", "돈육", "돼지", "삼겹살", "목살", "앞다리살"),
            List.of("소고기", "쇠고기", "우육", "한우"),
            List.of("닭고기", "계육", "닭"),
            List.of("김치", "묵은지", "배추김치", "포기김치"),
            List.of("고춧가루", "고추가루"),
            List.of("간장", "진간장", "국간장"),
            List.of("두부", "순두부", "부침두부"),
            List.of("감자", "햇감자"),
            List.of("양파", "햇양파"),
            List.of("마늘", "다진마늘", "깐마늘"),
            List.of("오징어", "한치"),
            List.of("새우", "대하", "칵테일새우"),
            List.of("버섯", "표고", "느타리", "새송이", "팽이"),
            List.of("참기름", "들기름"),
            List.of("국수", "소면", "중면"),
            List.of("햄", "스팸"));

    private final Analyzer analyzer;

    public KoreanText() {
        SynonymMap synonyms = synonymMap();
        this.analyzer = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer tokenizer = new KoreanTokenizer(); // default: compounds decomposed, the whole word kept too
                TokenStream stream = new KoreanPartOfSpeechStopFilter(tokenizer);
                stream = new KoreanReadingFormFilter(stream);
                stream = new LowerCaseFilter(stream);
                stream = new SynonymGraphFilter(stream, synonyms, true);
                return new TokenStreamComponents(tokenizer, stream);
            }
        };
    }

    private static SynonymMap synonymMap() {
        try {
            SynonymMap.Builder builder = new SynonymMap.Builder(true);
            for (List<String> line : SYNONYMS) {
                CharsRef canonical = new CharsRef(line.getFirst());
                for (String word : line.subList(1, line.size())) {
                    builder.add(SynonymMap.Builder.join(new String[]{word}, new CharsRefBuilder()), canonical, false);
                }
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The words of {@code text}, in order, synonyms replaced by their line's first word. */
    public List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return words;
        }
        try (TokenStream stream = analyzer.tokenStream("text", new StringReader(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                String word = term.toString();
                if (!word.isBlank()) {
                    words.add(word);
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }
}
